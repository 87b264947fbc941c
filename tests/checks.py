"""The Python tests' shared tally: ok() records a check, done() prints the closing
"N passed, N failed" line and returns the exit status. Import with
    sys.path.insert(0, <the tests folder>); from checks import ok, done
"""
import sys

_passed = 0
_failed = 0


def ok(cond, what, detail=""):
    """Records one check; on failure prints what failed and, if given, the detail."""
    global _passed, _failed
    if cond:
        _passed += 1
    else:
        _failed += 1
        sys.stdout.write("FAIL %s%s\n" % (what, ("\n" + str(detail)[-3000:]) if detail else ""))
    return cond


def done():
    """Prints the closing line; returns 1 if any check failed, else 0."""
    print("%d passed, %d failed" % (_passed, _failed))
    return 1 if _failed else 0
