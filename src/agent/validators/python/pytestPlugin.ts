/** Module name of the plugin below, loaded with `-p`. */
export const PYTEST_PLUGIN_MODULE = 'anneal_pytest_plugin';

/**
 * A pytest plugin that writes every failed test, setup, teardown and collection to the JSON
 * file named by ANNEAL_PYTEST_REPORT: its node id, the full failure text (`--tb` style) and the
 * traceback frames (real path, 0-based line), so that a failure can point into the target file.
 */
export const PYTEST_PLUGIN_SOURCE = `import json
import os

import pytest

_results = []
_counts = {"passed": 0, "failed": 0, "skipped": 0}


def _frames(excinfo):
    frames = []
    if excinfo is None:
        return frames
    try:
        for entry in excinfo.traceback:
            frames.append([os.path.realpath(str(entry.path)), int(entry.lineno)])
    except Exception:
        pass
    return frames


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.anneal_frames = _frames(call.excinfo)


def pytest_runtest_logreport(report):
    if report.when == "call" or report.failed or report.skipped:
        if report.failed:
            _counts["failed"] += 1
        elif report.skipped:
            _counts["skipped"] += 1
        elif report.passed:
            _counts["passed"] += 1
    if report.failed:
        _results.append(
            {
                "nodeid": report.nodeid,
                "when": report.when,
                "message": report.longreprtext,
                "frames": getattr(report, "anneal_frames", []),
            }
        )


def pytest_collectreport(report):
    if report.failed:
        _results.append(
            {
                "nodeid": report.nodeid or "<collection>",
                "when": "collect",
                "message": report.longreprtext,
                "frames": [],
            }
        )


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("ANNEAL_PYTEST_REPORT")
    if not path:
        return
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"exitstatus": int(exitstatus), "results": _results, "counts": _counts}, f)
`;
