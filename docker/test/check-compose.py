"""Static checks of docker/compose.yaml that no compose engine is needed for.

  check-compose.py COMPOSE_FILE

- every secret a service uses is declared, and every declared secret is used;
- no environment variable carries a credential: a variable whose name speaks of a password,
  secret, token or key names a file (…_FILE, a /run/secrets/ path) instead;
- volumes for notebooks, data and the cache on the Jupyter service; MinIO's bucket is created by a
  one-shot service Jupyter waits for; PostgreSQL is behind a profile.
"""
import re
import sys

import yaml

CREDENTIAL = re.compile(r"PASSWORD|SECRET|TOKEN|ACCESS_KEY|CREDENTIALS|PGPASS", re.I)


def main(path):
    with open(path, encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    problems = []
    services = compose["services"]
    declared = set(compose.get("secrets", {}))
    used = set()
    for name, service in services.items():
        for s in service.get("secrets", []):
            used.add(s if isinstance(s, str) else s["source"])
        env = service.get("environment", {})
        if isinstance(env, list):
            env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
        for var, value in env.items():
            if CREDENTIAL.search(var) and not (var.endswith("_FILE") or str(value).startswith("/run/secrets/")):
                problems.append("%s: %s looks like a credential in an environment variable; pass a file (a secret)" % (name, var))
    if used - declared:
        problems.append("secrets used but not declared: %s" % sorted(used - declared))
    if declared - used:
        problems.append("secrets declared but never used: %s" % sorted(declared - used))
    for name, secret in compose.get("secrets", {}).items():
        if "file" not in secret and not secret.get("external"):
            problems.append("secret %s: neither a file nor external" % name)

    jupyter = services.get("jupyter", {})
    targets = [m.group(1) for v in jupyter.get("volumes", []) if isinstance(v, str)
               for m in [re.search(r":(/[^:]*)(:[a-z,]+)?$", v)] if m]
    for wanted in ("/home/jovyan/work", "/home/jovyan/work/data", "/home/jovyan/.cache/kiln"):
        if wanted not in targets:
            problems.append("jupyter: no volume at %s" % wanted)
    waits = jupyter.get("depends_on", {})
    bucket = [n for n, s in services.items() if "mc mb" in " ".join(map(str, s.get("command", []) or []))]
    if not bucket or waits.get(bucket[0], {}).get("condition") != "service_completed_successfully":
        problems.append("jupyter must wait for a one-shot service that creates the bucket (mc mb)")
    if "minio" not in services:
        problems.append("no minio service")
    if services.get("postgres", {}).get("profiles") != ["postgres"]:
        problems.append("postgres must be behind the profile 'postgres'")

    if problems:
        print("%s: %d problem(s)" % (path, len(problems)))
        for p in problems:
            print("  - " + p)
        return 1
    print("compose: %s passes (%d services, %d secrets)" % (path, len(services), len(declared)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
