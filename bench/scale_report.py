"""Rows of bench/scale.py's result, each with issue 11's target and whether it is met,
and the Markdown table docs/benchmarks.md takes them in."""
from __future__ import annotations

from dataclasses import dataclass, field

from measure import Figures
from scale_config import Scale

#: issue 11's targets
NETPLAN_RATIO = 1.0
ONE_LINE_EXTRA_MS = 100
STARTUP_RATIO = 1.5
PEAK_MIB = 150


@dataclass
class Row:
    """One line of the table: ``met`` is None where there is no target (or no figure)."""

    key: str
    what: str
    figure: str
    target: str = ""
    met: bool | None = None
    numbers: dict[str, object] = field(default_factory=dict)


def timing(figures: Figures) -> str:
    """`median (fastest-slowest)`, in seconds or milliseconds."""
    if figures.slowest < 1:
        return (f"{figures.median * 1000:.0f} ms ({figures.fastest * 1000:.0f}-"
                f"{figures.slowest * 1000:.0f})")
    return f"{figures.median:.2f} s ({figures.fastest:.2f}-{figures.slowest:.2f})"


def cpu(figures: Figures) -> str:
    """`CPU median (user median)`: user + system seconds, and the program's own part."""
    return f"CPU {figures.cpu:.2f} s (user {figures.user:.2f})"


def commit_rows(scale: Scale, commit: Figures, netplan: Figures | None, creates: Figures) -> list[Row]:
    """The full commit, netplan's generate, their ratio and the floor of file creation."""
    what = f"{scale.vlans} VLANs + {scale.routes} static routes + {scale.neighbors} BGP neighbors"
    rows = [Row("full_commit", f"full commit (`-f FILE`): {what}",
                f"{timing(commit)}, {cpu(commit)}, peak {commit.peak_mib:.0f} MiB", numbers=commit.as_dict()),
            Row("create_floor", f"floor: {2 * scale.vlans + 1} plain file creates (one thread, no other work)",
                f"{timing(creates)}, {cpu(creates)}", numbers=creates.as_dict())]
    if netplan is None:
        rows.append(Row("netplan_generate", f"`netplan generate` of the {scale.vlans} VLANs",
                        "not measured (netplan not installed or --no-netplan)"))
        rows.append(Row("commit_vs_netplan", "ratio full commit / netplan generate", "not measured",
                        f"<= {NETPLAN_RATIO}"))
        return rows
    ratio = commit.median / netplan.median
    rows.append(Row("netplan_generate", f"`netplan generate` of the {scale.vlans} VLANs",
                    f"{timing(netplan)}, {cpu(netplan)}, peak {netplan.peak_mib:.0f} MiB",
                    numbers=netplan.as_dict()))
    cpu_ratio = commit.cpu / netplan.cpu if netplan.cpu else float("inf")
    rows.append(Row("commit_vs_netplan", "ratio full commit / netplan generate (medians)",
                    f"{ratio:.2f} (CPU time: {cpu_ratio:.2f})", f"<= {NETPLAN_RATIO}", ratio <= NETPLAN_RATIO,
                    {"ratio": round(ratio, 3), "cpu_ratio": round(cpu_ratio, 3)}))
    return rows


def change_rows(show: Figures, changes: dict[str, Figures]) -> list[Row]:
    """One-line commits on the scale root against `show version` on an empty root."""
    rows = [Row("show_version_empty", "`-c 'show version'`, empty root", timing(show), numbers=show.as_dict())]
    for key, (what, figures) in changes.items():
        extra = (figures.median - show.median) * 1000
        rows.append(Row(key, f"one-line change on the scale root: {what}",
                        f"{timing(figures)}: {extra:+.0f} ms; {cpu(figures)}", f"<= +{ONE_LINE_EXTRA_MS} ms",
                        extra <= ONE_LINE_EXTRA_MS, {**figures.as_dict(), "extra_ms": round(extra, 1)}))
    return rows


def startup_rows(starts: dict[str, tuple[Figures, Figures]]) -> list[Row]:
    """One-shot commands on the scale root against the empty root."""
    rows = []
    for command, (zero, scale) in starts.items():
        ratio = scale.median / zero.median
        rows.append(Row("startup_" + command.replace(" ", "_"), f"start-up `-c '{command}'`: scale / empty root",
                        f"{timing(scale)} / {timing(zero)} = {ratio:.2f}x", f"<= {STARTUP_RATIO}x",
                        ratio <= STARTUP_RATIO, {"scale": scale.as_dict(), "empty": zero.as_dict(),
                                                 "ratio": round(ratio, 3)}))
    return rows


def growth_rows(grown: dict[int, tuple[Figures, Figures | None]]) -> list[Row]:
    """Full commits of VLANs only, per count; then growth of time and memory."""
    rows = []
    for size, (commit, netplan) in grown.items():
        beside = f"; netplan {timing(netplan)}, {cpu(netplan)}" if netplan else ""
        numbers = {"commit": commit.as_dict(), "netplan": netplan.as_dict() if netplan else None}
        rows.append(Row(f"growth_{size}", f"growth: full commit of {size} VLANs",
                        f"{timing(commit)}, {cpu(commit)}, peak {commit.peak_mib:.0f} MiB{beside}",
                        numbers=numbers))
    smallest, largest = min(grown), max(grown)
    factor = largest / smallest
    for key, what, measure in (("growth_time", "commit time", lambda f: f.median),
                               ("growth_memory", "peak memory", lambda f: f.peak_mib)):
        ratio = measure(grown[largest][0]) / measure(grown[smallest][0])
        rows.append(Row(key, f"growth of {what}, {smallest} -> {largest} VLANs", f"{ratio:.2f}x",
                        f"<= about {factor:.0f}x", ratio <= factor, {"ratio": round(ratio, 3), "sizes": factor}))
    return rows


def rows(scale: Scale, commit: Figures, netplan: Figures | None, creates: Figures, show: Figures, description: Figures,
         mtu: Figures, starts: dict[str, tuple[Figures, Figures]],
         grown: dict[int, tuple[Figures, Figures | None]]) -> list[Row]:
    """Every row, in the order of the table."""
    changes = {"one_line_description": ("`vif 5 description`", description),
               "one_line_mtu": ("`vif 7 mtu`", mtu)}
    peak = Row("peak_memory", "peak memory of the scale commit", f"{commit.peak_mib:.0f} MiB",
               f"<= {PEAK_MIB} MB", commit.peak_mib <= PEAK_MIB, {"peak_mib": round(commit.peak_mib, 1)})
    return [*commit_rows(scale, commit, netplan, creates), *change_rows(show, changes), *startup_rows(starts),
            *growth_rows(grown), peak]


def table(result: dict[str, object]) -> str:
    """The conditions and a Markdown table of the rows."""
    conditions = result["conditions"]
    assert isinstance(conditions, dict)
    lines = [f"{conditions['date']}, medians of {conditions['runs']} runs (fastest-slowest), "
             f"load {conditions['load_before']} before, {conditions['load_after']} after; "
             f"scratch {conditions['directory']} (same disk as the project: "
             f"{'yes' if conditions['same_disk_as_project'] else 'no'}); "
             f"smallest peak memory measurable: {conditions['memory_floor_mib']} MiB", "",
             "| measurement | figure | target | met |", "| --- | --- | --- | --- |"]
    marks = {True: "yes", False: "not yet", None: ""}
    for row in result["rows"]:  # type: ignore[union-attr]
        lines.append(f"| {row['what']} | {row['figure']} | {row['target']} | {marks[row['met']]} |")
    return "\n".join(lines)
