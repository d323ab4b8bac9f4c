"""Static checks of docker/compose.yaml that no compose engine is needed for.

  check-compose.py COMPOSE_FILE

- every secret a service uses is declared, and every declared secret is used;
- no environment variable carries a credential: a variable whose name speaks of a password,
  secret, token or key names a file (…_FILE, a /run/secrets/ path) instead;
- volumes for notebooks, data and the cache on the Jupyter service; MinIO's bucket is created by a
  one-shot service Jupyter waits for; PostgreSQL is behind a profile;
- least privilege (docs/remote-access.md): the IAM policies the one-shot service mounts
  (compose/policies/{reader,writer,gc}.json) parse, are the ones the document shows, and grant what
  its table says: reader get and list only, writer + put (and delete only its push lock), gc + delete;
  Jupyter holds the reader's key unless KILN_AWS_CREDENTIALS names another, and no other key.
"""
import fnmatch
import json
import os
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

    problems += check_roles(path, compose)

    if problems:
        print("%s: %d problem(s)" % (path, len(problems)))
        for p in problems:
            print("  - " + p)
        return 1
    print("compose: %s passes (%d services, %d secrets)" % (path, len(services), len(declared)))
    return 0


ROLES = ("reader", "writer", "gc")
BUCKET = "arn:aws:s3:::BUCKET"
WRITER_PUTS = ["objects", "indexes", "manifests", "versions", "refs", "locks/push"]


def grants(policy):
    """(action, resource) pairs a policy allows; an action or resource may be a wildcard pattern."""
    if policy.get("Version") != "2012-10-17":
        raise ValueError("Version must be 2012-10-17, not %r" % policy.get("Version"))
    pairs = set()
    for st in policy["Statement"]:
        if st.get("Effect") != "Allow" or "NotAction" in st or "NotResource" in st or "Condition" in st:
            raise ValueError("statement %s: only plain Allow statements are expected" % st.get("Sid"))
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
        pairs |= {(a, r) for a in actions for r in resources}
    return pairs


def allows(pairs, action, resource):
    """Whether a grant covers ACTION on RESOURCE (a key pattern such as BUCKET/*/refs/* is covered by BUCKET/*)."""
    return any(fnmatch.fnmatchcase(action, a) and fnmatch.fnmatchcase(resource, r) for a, r in pairs)


def documented_policies(doc):
    """The JSON block after each '**ROLE** (`docker/compose/policies/ROLE.json`)' heading of the document."""
    shown = {}
    for m in re.finditer(r"\(`docker/compose/policies/(\w+)\.json`\)\s*```json\n(.*?)```", doc, re.S):
        shown[m.group(1)] = json.loads(m.group(2))
    return shown


def check_roles(path, compose):
    problems = []
    here = os.path.dirname(os.path.abspath(path))
    services = compose["services"]
    bucket = services.get("minio-bucket", {})
    mounts = [v.split(":") for v in bucket.get("volumes", []) if isinstance(v, str)]
    source = [m[0] for m in mounts if len(m) > 1 and m[1] == "/policies"]
    if not source:
        return ["minio-bucket: no volume at /policies (the role policies)"]
    policies = {}
    for role in ROLES:
        file = os.path.join(here, source[0], role + ".json")
        try:
            with open(file, encoding="utf-8") as f:
                policies[role] = grants(json.load(f))
        except (OSError, ValueError, KeyError) as e:
            problems.append("policy %s: %s" % (file, e))
    command = " ".join(map(str, bucket.get("command", []) or []))
    if "for role in reader writer gc" not in command or "aws_credentials_$$role" not in command \
            or "/policies/$$role.json" not in command:
        problems.append("minio-bucket must make one user per role (reader writer gc) from aws_credentials_ROLE and ROLE.json")
    if len(policies) < len(ROLES):
        return problems

    reader, writer, gc = (policies[r] for r in ROLES)
    keys = BUCKET + "/*"
    if not (allows(reader, "s3:ListBucket", BUCKET) and allows(reader, "s3:GetObject", keys)):
        problems.append("reader: must list the bucket and read every key")
    for action, resource in sorted(reader):
        if not re.fullmatch(r"s3:(Get|List)[A-Za-z]+", action):
            problems.append("reader: grants %s on %s; a reader may only get and list" % (action, resource))
    for role, pairs, lesser in (("writer", writer, reader), ("gc", gc, writer)):
        for action, resource in sorted(lesser):
            if not allows(pairs, action, resource):
                problems.append("%s: lacks %s on %s, which the role below it has" % (role, action, resource))
    for area in WRITER_PUTS:
        if not allows(writer, "s3:PutObject", "%s/prefix/%s/key" % (BUCKET, area)):
            problems.append("writer: cannot put %s/" % area)
    for action, resource in sorted(writer):
        if fnmatch.fnmatchcase("s3:DeleteObject", action) and resource != BUCKET + "/*/locks/push/*":
            problems.append("writer: may delete %s; only the garbage collector deletes (the writer its push lock)" % resource)
    if not allows(gc, "s3:DeleteObject", keys):
        problems.append("gc: must delete any key")

    try:
        with open(os.path.join(here, "..", "docs", "remote-access.md"), encoding="utf-8") as f:
            shown = documented_policies(f.read())
        for role in ROLES:
            if role not in shown:
                problems.append("docs/remote-access.md does not show %s.json" % role)
            elif grants(shown[role]) != policies[role]:
                problems.append("docs/remote-access.md shows a %s policy other than compose/policies/%s.json" % (role, role))
    except (OSError, ValueError, KeyError) as e:
        problems.append("docs/remote-access.md: %s" % e)

    declared = compose.get("secrets", {})
    jupyter = services.get("jupyter", {})
    held = {s if isinstance(s, str) else s["source"] for s in jupyter.get("secrets", [])}
    given = re.fullmatch(r"\$\{KILN_AWS_CREDENTIALS:-([^}]+)\}", str(declared.get("aws_credentials", {}).get("file", "")))
    if not given or given.group(1) != declared.get("aws_credentials_reader", {}).get("file"):
        problems.append("secret aws_credentials must default to the reader's file: ${KILN_AWS_CREDENTIALS:-%s}"
                        % declared.get("aws_credentials_reader", {}).get("file"))
    if "aws_credentials" not in held or jupyter.get("environment", {}).get("AWS_SHARED_CREDENTIALS_FILE") != "/run/secrets/aws_credentials":
        problems.append("jupyter: AWS_SHARED_CREDENTIALS_FILE must be the secret aws_credentials (/run/secrets/aws_credentials)")
    for other in sorted(held & {"aws_credentials_writer", "aws_credentials_gc", "minio_root_user", "minio_root_password"}):
        problems.append("jupyter: holds %s; it gets the reader's key by default and no other" % other)
    return problems


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
