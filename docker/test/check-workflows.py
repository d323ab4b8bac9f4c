"""Static checks of the GitHub workflows (.github/workflows/) that no runner is needed for.

  check-workflows.py WORKFLOWS_DIR

- test.yml runs every test as the README says (./kiln test) on each push and pull request, and can
  be called by another workflow; it runs in Debian 12 within CI's 90 minutes and also checks each
  bench's set-up on a fresh clone (bench/test-setup);
- publish-image.yml runs on pushes to main only, calls test.yml, and every job that pushes an image
  needs that test job, directly or through the jobs it needs: no image is published untested.
"""
import sys
from pathlib import Path

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        workflow = yaml.safe_load(f)
    # YAML 1.1 reads the key 'on' as True
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def runs(job):
    return [step.get("run", "") for step in job.get("steps", [])]


def needs(job):
    n = job.get("needs", [])
    return [n] if isinstance(n, str) else list(n)


def check_test(workflow, problems):
    on = workflow["on"] or {}
    for trigger in ("push", "pull_request", "workflow_call"):
        if trigger not in on:
            problems.append(f"test.yml: not run on {trigger}")
    jobs = workflow.get("jobs", {})
    steps = [r for job in jobs.values() for r in runs(job)]
    if not any(r.strip() == "./kiln test" for r in steps):
        problems.append("test.yml: no step runs ./kiln test (the README's test command)")
    if not any(r.strip() == "bench/test-setup" for r in steps):
        problems.append("test.yml: no step runs bench/test-setup (each bench's set-up on a fresh clone)")
    for name, job in jobs.items():
        if int(job.get("timeout-minutes", 10**6)) > 90:
            problems.append(f"test.yml: job {name} may run past CI's 90 minutes")
        image = (job.get("container") or {}).get("image", "")
        if not image.startswith("debian:bookworm"):
            problems.append(f"test.yml: job {name} does not run in Debian 12 (debian:bookworm): {image!r}")


def check_publish(workflow, problems):
    on = workflow["on"] or {}
    branches = ((on.get("push") or {}).get("branches")) or []
    if branches != ["main"]:
        problems.append(f"publish-image.yml: publishes on pushes to {branches or 'every branch'}, not main alone")
    jobs = workflow.get("jobs", {})
    tests = {name for name, job in jobs.items() if str(job.get("uses", "")).endswith("/test.yml")}
    if not tests:
        problems.append("publish-image.yml: no job calls test.yml")

    def tested(name, seen=()):
        return any(n in tests or (n not in seen and n in jobs and tested(n, seen + (name,))) for n in needs(jobs[name]))

    for name, job in jobs.items():
        pushes = any(str(step.get("uses", "")).startswith("docker/build-push-action") and step.get("with", {}).get("push")
                     for step in job.get("steps", []))
        if pushes and not tested(name):
            problems.append(f"publish-image.yml: job {name} pushes an image without needing the tests ({', '.join(sorted(tests)) or 'none'})")


def main(directory):
    d = Path(directory)
    problems = []
    check_test(load(d / "test.yml"), problems)
    check_publish(load(d / "publish-image.yml"), problems)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"workflows: {d} run every test before an image is published")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
