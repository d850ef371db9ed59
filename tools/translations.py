"""Refresh the Chinese UI catalogue: lupdate → fill from the reviewed table → lrelease.

    python tools/translations.py          (what `make translations` runs)

1. pyside6-lupdate reads every .py file under widgets/ and desktop/ into a fresh .ts
   (no merge with the old file, so the result depends only on the code and the table);
2. every message gets its Chinese from resources/translations/zh_CN.toml, a reviewed
   table with one TOML section per Qt context: ``[StatusBar]`` then ``"Live" = "在线"``;
3. the .ts is written to resources/translations/gridcc_zh_CN.ts and pyside6-lrelease
   compiles it to gridcc_zh_CN.qm, the file desktop/i18n.py loads.

A source string the table does not cover stays English and makes the script exit 1
with the list, plus a suggestion harvested from the Chinese comment next to the
string in the code (``self.tr("Live")  # 在线`` or ``# zh: ...`` on a line above), ready
to review and paste into the table. A table entry whose %1.. placeholders differ from
its source is an error too. Entries the code no longer uses are reported, not removed.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("widgets", "desktop")
TRANSLATIONS = ROOT / "resources" / "translations"
TS_FILE = TRANSLATIONS / "gridcc_zh_CN.ts"
QM_FILE = TRANSLATIONS / "gridcc_zh_CN.qm"
TABLE_FILE = TRANSLATIONS / "zh_CN.toml"
LANGUAGE = "zh_CN"

PLACEHOLDER = re.compile(r"%([1-9][0-9]?)")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

Key = tuple[str, str]  # (context, source)


@dataclass
class FillReport:
    translated: int = 0
    contexts: set[str] = field(default_factory=set)
    missing: list[tuple[str, ET.Element]] = field(default_factory=list)  # (context, <message>) left unfinished
    unused: list[Key] = field(default_factory=list)


def qt_tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found next to {sys.executable} nor on PATH; install PySide6")
    return found


def source_files(root: Path = ROOT) -> list[Path]:
    """Every .py file under widgets/ and desktop/, sorted so runs are reproducible."""
    files = [p for d in SOURCE_DIRS for p in (root / d).rglob("*.py") if "__pycache__" not in p.parts]
    if not files:
        raise FileNotFoundError(f"no .py files under {', '.join(SOURCE_DIRS)} in {root}")
    return sorted(files)


def run_lupdate(files: Iterable[Path], ts_path: Path) -> None:
    """Extract into ``ts_path`` (which must not exist yet, so nothing is merged)."""
    if ts_path.exists():
        raise FileExistsError(f"{ts_path} exists; lupdate would merge into it")
    cmd = [qt_tool("pyside6-lupdate"), *map(str, files), "-no-obsolete", "-silent",
           "-source-language", "en", "-target-language", LANGUAGE, "-ts", str(ts_path)]
    subprocess.run(cmd, check=True, cwd=ROOT)


def run_lrelease(ts_path: Path, qm_path: Path) -> None:
    subprocess.run([qt_tool("pyside6-lrelease"), "-silent", str(ts_path), "-qm", str(qm_path)], check=True, cwd=ROOT)


def extract(files: Iterable[Path], scratch_dir: Path) -> ET.ElementTree[ET.Element]:
    """A fresh lupdate .ts for ``files``; written next to its final place so the
    <location> paths come out relative to resources/translations/ like the committed file."""
    tmp = scratch_dir / f".lupdate-{os.getpid()}.ts"
    try:
        run_lupdate(files, tmp)
        return ET.parse(tmp)
    finally:
        tmp.unlink(missing_ok=True)


def messages(tree: ET.ElementTree[ET.Element]) -> Iterable[tuple[str, ET.Element]]:
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message


def message_keys(tree: ET.ElementTree[ET.Element]) -> set[Key]:
    return {(ctx, m.findtext("source") or "") for ctx, m in messages(tree)}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def load_table(path: Path = TABLE_FILE) -> dict[Key, str]:
    """The reviewed table as {(context, source): Chinese}; rejects empty or mis-placeheld entries."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    table: dict[Key, str] = {}
    problems = []
    for context, entries in data.items():
        if not isinstance(entries, dict):
            problems.append(f"[{context}] must be a section of \"source\" = \"translation\" lines")
            continue
        for source, text in entries.items():
            if not isinstance(text, str) or not text.strip():
                problems.append(f"[{context}] {source!r}: translation must be a non-empty string")
            elif placeholders(source) != placeholders(text):
                problems.append(f"[{context}] {source!r} → {text!r}: placeholders "
                                f"{sorted(placeholders(source))} in the source but {sorted(placeholders(text))} "
                                "in the translation")
            else:
                table[(context, source)] = text
    if problems:
        raise ValueError(f"{path}:\n  " + "\n  ".join(problems))
    return table


def fill(tree: ET.ElementTree[ET.Element], table: dict[Key, str]) -> FillReport:
    """Put the table's Chinese into every message of ``tree``; unknown ones stay unfinished."""
    report = FillReport()
    used: set[Key] = set()
    tree.getroot().set("language", LANGUAGE)
    for context, message in messages(tree):
        if message.get("numerus") == "yes":
            raise ValueError(f"[{context}] {message.findtext('source')!r}: plural forms are not supported")
        key = (context, message.findtext("source") or "")
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        text = table.get(key)
        if text is None:
            translation.text = None
            translation.set("type", "unfinished")
            report.missing.append((context, message))
            continue
        used.add(key)
        translation.text = text
        translation.attrib.pop("type", None)
        report.translated += 1
        report.contexts.add(context)
    report.unused = sorted(set(table) - used)
    return report


def write_ts(tree: ET.ElementTree[ET.Element], path: Path) -> None:
    """Write in lupdate's own layout (declaration, DOCTYPE, four-space indent)."""
    root = tree.getroot()
    root.text = "\n"
    for context in root:
        ET.indent(context, space="    ")
        context.tail = "\n"
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def harvest(message: ET.Element, ts_dir: Path = TRANSLATIONS) -> str | None:
    """The Chinese from the comment beside the string's first location, if there is one:
    a trailing ``# ...`` on the same line, else a comment line just above the statement
    (looking up through at most three lines that open a bracket, as in ``x = arg(``)."""
    location = message.find("location")
    filename, line = (None, None) if location is None else (location.get("filename"), location.get("line"))
    if not filename or not line:
        return None
    path = (ts_dir / filename).resolve()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    index = int(line) - 1
    if not 0 <= index < len(lines):
        return None
    candidates = [lines[index].partition("#")[2]] if "#" in lines[index] else []
    for line in reversed(lines[max(0, index - 3):index]):
        line = line.strip()
        if line.startswith("#"):
            candidates.append(line[1:])
        elif not line.partition("#")[0].rstrip().endswith(("(", "[", "{", ",")):
            break  # the end of an earlier statement: its comments are not ours
    for comment in candidates:
        comment = comment.strip()
        if comment.lower().startswith("zh:"):
            comment = comment[3:].strip()
        if CJK.search(comment):
            return comment.replace("\\n", "\n")
    return None


TR_NAMES = frozenset({"tr", "translate"})


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _is_text(node: ast.expr) -> TypeGuard[ast.Constant]:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def unseen_strings(path: Path) -> list[str]:
    """Translatable strings in ``path`` that lupdate cannot extract, as "file:line: why".

    lupdate only reads literal arguments of tr()/translate()/QT_*_NOOP(); it misses
    literals passed to a module's own helper (``def _tr(t): return translate(CTX, t)``)
    and text built at run time inside tr() (f-strings, + or % formatting)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    wrappers = {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef)
        and any(isinstance(n, ast.Call) and _called_name(n) in TR_NAMES for n in ast.walk(node))
    }
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _called_name(node)
        if name in wrappers and isinstance(node.func, ast.Name) and _is_text(node.args[0]):
            found.append(f"{where}:{node.lineno}: {name}({node.args[0].value!r}) goes through a helper lupdate "
                         "does not read; call QCoreApplication.translate(\"<Context>\", ...) or mark it with "
                         "QT_TRANSLATE_NOOP")
        elif name in TR_NAMES:
            text = node.args[1] if name == "translate" and len(node.args) > 1 else node.args[0]
            if isinstance(text, (ast.JoinedStr, ast.BinOp)):
                found.append(f"{where}:{node.lineno}: {name}() of text built at run time; "
                             "translate a literal template with %1.. placeholders instead")
    return sorted(found, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def missing_text(report: FillReport, table: dict[Key, str]) -> str:
    """The untranslated strings as TOML lines to review and paste into the table; the
    suggestion comes from the code comment, else from the same source in another context."""
    elsewhere = {source: text for (_, source), text in sorted(table.items())}
    lines = []
    current = None
    for context, message in sorted(report.missing, key=lambda cm: (cm[0], cm[1].findtext("source") or "")):
        if context != current:
            lines.append(f"[{toml_string(context)}]")
            current = context
        source = message.findtext("source") or ""
        suggestion = harvest(message) or elsewhere.get(source)
        where = message.find("location")
        origin = "?"
        if where is not None:
            origin = f"{(where.get('filename') or '').removeprefix('../../')}:{where.get('line')}"
        value = toml_string(suggestion) if suggestion else '""'
        lines.append(f"{toml_string(source)} = {value}  # {origin}{'' if suggestion else ', no comment to harvest'}")
    return "\n".join(lines)


def update(root: Path = ROOT) -> int:
    table = load_table(TABLE_FILE)
    files = source_files(root)
    tree = extract(files, TRANSLATIONS)
    report = fill(tree, table)
    write_ts(tree, TS_FILE)
    run_lrelease(TS_FILE, QM_FILE)
    print(f"{TS_FILE.relative_to(root)}: {report.translated} strings translated in {len(report.contexts)} contexts; "
          f"{QM_FILE.relative_to(root)} written")
    if report.unused:
        print(f"{len(report.unused)} table entries are not used by the code (kept):")
        for context, source in report.unused:
            print(f"  [{context}] {source!r}")
    unseen = [line for path in files for line in unseen_strings(path)]
    if unseen:
        print(f"{len(unseen)} strings are invisible to lupdate and stay English until the code changes:")
        for line in unseen:
            print(f"  {line}")
    if report.missing:
        print(f"\n{len(report.missing)} strings have no translation in {TABLE_FILE.relative_to(root)}; "
              "review these suggestions and add them:\n", file=sys.stderr)
        print(missing_text(report, table), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return update()
    except (ValueError, FileNotFoundError, subprocess.CalledProcessError) as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
