from pathlib import Path
from bench.report import Report
first = Report.read(Path("bench/results/before-c792e49-run1.json"))
second = Report.read(Path("var/bench/results-before.json"))
national = second.scale("national")
assert national is not None
scales = [national if s.name == "national" else s for s in first.scales]
heading = (first.heading + " National 10k from a second run (the first lost its browser rows "
           "to a 2-minute timeout at load 30), with 1 page run per median: " + second.heading)
failures = [f for f in first.failures if "全国（合成数据，10k）" not in f] + second.failures
merged = Report(heading, scales, failures)
Path("bench/results/before-c792e49.json").write_text(merged.to_json(), encoding="utf-8")
from bench import report
notes = "BEFORE: a clean clone of c792e49, measured by this benchmark with --app-dir."
Path("bench/results/before-c792e49.md").write_text(report.markdown(merged, None, notes), encoding="utf-8")
print(report.table(merged))
