"""`make bench`: every performance goal of the platform, one line each, measured on this machine.

Each figure is a ratio against a ceiling measured in the same run (absolute timings are noisy here),
or a count checked in the database afterwards. See docs/performance.md.
"""

import argparse
import sys
import time

import certificates
import imports
import pages
import spike
import writes

SUITES = {"pages": pages.run, "spike": spike.run, "writes": writes.run, "certificates": certificates.run,
          "imports": imports.run}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", metavar="suite", help=f"only these of {', '.join(SUITES)} (default: all)")
    options = parser.parse_args()
    started = time.perf_counter()
    results = []
    for name in options.suites or SUITES:
        print(f"# {name}", flush=True)
        for result in SUITES[name]():
            print(result.line(), flush=True)
            results.append(result)
    missed = [result for result in results if not result.holds]
    print(f"# {len(results) - len(missed)} of {len(results)} goals hold ({time.perf_counter() - started:.0f} s)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
