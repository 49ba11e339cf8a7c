#!/usr/bin/env python3
"""Writes a realistic delivery history as NDJSON batch items, one file per connection.

Usage: import_history.py DIRECTORY EVENTS [CONNECTIONS] [SEED]

Over two years (2023-2024) and CONNECTIONS connections (default 20, one project each): deployments
with 1-3 commits (about 1 in 8 failed), merged pull requests whose merge commit was deployed,
incidents (an issue then its issue_close) after some deployments, and commits with line counts.
EVENTS items in all (an incident counts two: the issue and its close). Prints the file names.
"""
import json
import os
import random
import sys

START = 1672531200  # 2023-01-01T00:00:00Z
SPAN = 2 * 365 * 86400


def iso(seconds):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def main():
    directory, events = sys.argv[1], int(sys.argv[2])
    connections = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    os.makedirs(directory, exist_ok=True)
    per_connection = events // connections
    for c in range(connections):
        path = os.path.join(directory, f"connection-{c + 1}.ndjson")
        repos = [f"https://github.com/acme/service-{c}-{r}" for r in range(3)]
        written = 0
        n = 0
        pending = []
        # Time advances evenly so that the items of a file are in time order.
        step = SPAN / max(1, per_connection)
        with open(path, "w") as out:
            def put(kind, payload):
                out.write(json.dumps({"type": kind, "payload": payload}, separators=(",", ":")) + "\n")
            while written < per_connection:
                t = START + int(n * step)
                n += 1
                roll = rng.random()
                if roll < 0.40:
                    # The merge commits of the pull requests merged since the last deployment ship now.
                    count = rng.randint(1, 3)
                    shas = (pending[:count] + [f"{rng.getrandbits(160):040x}" for _ in range(count)])[:count]
                    del pending[:count]
                    put("deployment", {
                        "id": f"deploy-{c}-{n}", "environment": "PRODUCTION",
                        "result": "FAILURE" if rng.random() < 0.125 else "SUCCESS",
                        "startedDate": iso(t), "finishedDate": iso(t + rng.randint(60, 1800)),
                        "deploymentCommits": [{"repoUrl": repos[i % 3], "commitSha": sha} for i, sha in enumerate(shas)]})
                    written += 1
                elif roll < 0.65 and n > 1:
                    sha = f"{rng.getrandbits(160):040x}"
                    pending.append(sha)
                    put("pull_request", {
                        "id": f"pr-{c}-{n}", "pullRequestKey": n, "displayTitle": f"Change {n}", "status": "MERGED",
                        "createdDate": iso(t - rng.randint(3600, 5 * 86400)), "mergedDate": iso(t),
                        "mergeCommitSha": sha, "repoUrl": repos[len(pending) % 3], "additions": rng.randint(1, 500),
                        "deletions": rng.randint(0, 200)})
                    written += 1
                elif roll < 0.75 and written + 2 <= per_connection:
                    put("issue", {
                        "issueKey": f"INC-{c}-{n}", "title": f"Incident {n}", "type": "INCIDENT", "status": "TODO",
                        "createdDate": iso(t), "severity": rng.choice(["P1", "P2", "P3"])})
                    put("issue_close", {"issueKey": f"INC-{c}-{n}", "resolutionDate": iso(t + rng.randint(600, 86400))})
                    written += 2
                else:
                    put("commit", {"commits": [{
                        "sha": f"{rng.getrandbits(160):040x}", "repoUrl": repos[rng.randint(0, 2)], "authoredDate": iso(t),
                        "additions": rng.randint(0, 800), "deletions": rng.randint(0, 300),
                        "isMerge": rng.random() < 0.05} for _ in range(rng.randint(1, 5))]})
                    written += 1
        print(path)


if __name__ == "__main__":
    main()
