"""The import report: counts per file and every refused line with its column and reason."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Refusal:
    """One reason a line (or a whole file) was refused."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def render(self) -> str:
        """One line for the terminal: file, line, column and reason."""
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


@dataclass
class FileReport:
    """What happened to one file of an import."""

    kind: str
    path: str
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    padded_ids: int = 0
    refused_rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def counts(self) -> dict:
        """The counts of this file as a dict."""
        return {
            "rows": self.rows, "added": self.added, "changed": self.changed,
            "unchanged": self.unchanged, "removed": self.removed,
            "refused_rows": self.refused_rows, "padded_ids": self.padded_ids,
        }


@dataclass
class ImportReport:
    """The outcome of one register import."""

    skip_invalid: bool
    files: dict[str, FileReport] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    applied: bool = False
    import_id: int | None = None
    affected_requests: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """True when nothing was imported."""
        return not self.applied

    @property
    def counts(self) -> dict:
        """Counts per file kind ('addresses', 'programme')."""
        return {kind: report.counts() for kind, report in self.files.items()}

    def refuse(self, file: str, line: int | None, column: str | None, reason: str) -> None:
        """Record one refusal."""
        self.refusals.append(Refusal(file, line, column, reason))

    def render(self) -> str:
        """The report as the terminal shows it."""
        lines = []
        for report in self.files.values():
            encoding = report.encoding or "not read"
            if report.encoding == "Windows-1252":
                encoding += " (the file is not valid UTF-8)"
            lines.append(f"{report.kind}: {report.path}")
            lines.append(f"  encoding: {encoding}; delimiter: {report.delimiter!r}")
            lines.append(
                f"  rows: {report.rows}; added: {report.added}, changed: {report.changed}, "
                f"unchanged: {report.unchanged}, removed: {report.removed}; "
                f"refused rows: {report.refused_rows}"
            )
            lines.append(f"  ids padded with leading zeros: {report.padded_ids}")
        if self.refusals:
            lines.append(f"Refused ({len(self.refusals)}):")
            lines.extend("  " + r.render() for r in sorted(
                self.refusals, key=lambda r: (r.file, r.line or 0, r.column or "")))
        if self.affected_requests:
            lines.append("Open requests whose address changed: "
                         + ", ".join(self.affected_requests))
        if self.applied:
            lines.append(f"Imported (import {self.import_id}).")
        elif self.skip_invalid:
            lines.append("Nothing was imported.")
        else:
            lines.append("Nothing was imported: the import is all or nothing. Correct the "
                         "lines above, or use --skip-invalid to import the good rows.")
        return "\n".join(lines)
