#!/usr/bin/env python3
"""Prints, loudly, every test ctest skipped and why, from ctest's JUnit report.

A skipped test passes in ctest's count; in a CI log it would go unseen. `make test` runs this
after the suite, so a missing moto_server or a missing ../shared corpus is said in a box at
the end of the log. Usage: report_skipped.py REPORT.xml
"""
import sys
import xml.etree.ElementTree as ElementTree


def skip_reason(case):
    out = case.findtext("system-out") or ""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.endswith(": Skipped") and i + 1 < len(lines):
            return lines[i + 1].strip()
    return "no reason given"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report_skipped.py REPORT.xml")
    try:
        root = ElementTree.parse(sys.argv[1]).getroot()
    except (OSError, ElementTree.ParseError) as error:
        sys.exit(f"report_skipped.py: cannot read {sys.argv[1]}: {error}")
    skipped = [(case.get("name"), skip_reason(case)) for case in root.iter("testcase")
               if case.find("skipped") is not None or case.get("status") == "notrun"]
    if not skipped:
        print(f"no test skipped ({len(list(root.iter('testcase')))} ran)")
        return
    bar = "!" * 78
    print(bar)
    print(f"!! {len(skipped)} TEST(S) SKIPPED: what they cover is NOT tested on this machine")
    for name, reason in skipped:
        print(f"!!   {name}")
        print(f"!!     {reason}")
    print(bar)


if __name__ == "__main__":
    main()
