"""CPU seconds used by the servers under load, read from /proc (Linux).

On a shared machine wall-clock latencies depend on what else runs; the CPU the app server and the
database spent per simulated learner does not, so the benchmarks report it next to their goals.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (parent pid, CPU ticks of the process and of its reaped children)} of every process."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = text.rsplit(")", 1)[1].split()  # after "pid (name)"; the name may hold spaces
        table[int(stat.parent.name)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    return table


def tree_seconds(roots):
    """CPU seconds used so far by the processes `roots` and all their descendants."""
    table = _processes()
    children = {}
    for pid, (parent, _ticks) in table.items():
        children.setdefault(parent, []).append(pid)
    total, pending = 0, [pid for pid in roots if pid in table]
    while pending:
        pid = pending.pop()
        total += table[pid][1]
        pending += children.get(pid, [])
    return total / TICKS


def postgres_pid(url):
    """The pid of the PostgreSQL server listening on the port of `url`, or None (e.g. for SQLite)."""
    if not url.startswith("postgresql"):
        return None
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if arguments and arguments[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(arguments):
            return int(cmdline.parent.name)
    return None
