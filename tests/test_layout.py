"""The layout's import rules, read from the source with ``ast``.

- A stage (``crawler``, ``nlp``, ``api``, ``digest``) never imports another stage: they meet in the store.
- The core (``newsmon`` outside ``newsmon/cli``) imports no stage, and no stage imports ``newsmon.cli``.
- An engine (``newsmon/store/sqlite``, ``newsmon/store/elastic``) never imports the other.
- Only the composition layer (``newsmon/cli``) imports more than one stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("crawler", "nlp", "api", "digest")
ENGINES = ("newsmon.store.sqlite", "newsmon.store.elastic")
COMPOSITION = "newsmon.cli"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports included), as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a source file under ``root``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path) -> list[str]:
    """Each import that breaks a layout rule, as "module imports target: rule"."""
    found = []
    for path in sorted(root.glob("*/**/*.py")):
        if path.relative_to(root).parts[0] not in (*STAGES, "newsmon"):
            continue
        module = module_name(path, root)
        imports = imported_modules(path)
        stages_used = {s for s in STAGES for i in imports if _is_within(i, s)}
        own_stage = module.split(".")[0]
        if _is_within(module, COMPOSITION):
            continue
        for target in sorted(imports):
            target_stage = next((s for s in STAGES if _is_within(target, s)), None)
            if own_stage in STAGES and target_stage and target_stage != own_stage:
                found.append(f"{module} imports {target}: a stage imports another stage")
            if own_stage == "newsmon" and target_stage:
                found.append(f"{module} imports {target}: the core imports a stage")
            if _is_within(target, COMPOSITION):
                found.append(f"{module} imports {target}: only the composition layer imports itself")
            for engine in ENGINES:
                other = next(e for e in ENGINES if e != engine)
                if _is_within(module, engine) and _is_within(target, other):
                    found.append(f"{module} imports {target}: an engine imports the other engine")
        if len(stages_used - {own_stage}) > 1:
            found.append(f"{module} imports stages {sorted(stages_used)}: outside the composition layer")
    return found


def test_the_tree_follows_the_layout() -> None:
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("path", "source", "rule"),
    [
        ("api/routes/x.py", "def f():\n    from nlp.runner import extract_article\n", "a stage imports another stage"),
        ("digest/x.py", "from api.ui import EVENT_LABELS\n", "a stage imports another stage"),
        ("newsmon/x.py", "import crawler.run\n", "the core imports a stage"),
        ("newsmon/store/elastic/x.py", "from newsmon.store.sqlite.search import FACET_SIZE\n",
         "an engine imports the other engine"),
        ("nlp/x.py", "from newsmon.cli.jobs import extract_stored\n", "only the composition layer imports itself"),
    ],
)
def test_each_rule_catches_its_violation(tmp_path: Path, path: str, source: str, rule: str) -> None:
    file = tmp_path / path
    file.parent.mkdir(parents=True)
    file.write_text(source, encoding="utf-8")
    assert [v for v in violations(tmp_path) if v.endswith(rule)], violations(tmp_path)


def test_the_composition_layer_may_import_every_stage(tmp_path: Path) -> None:
    file = tmp_path / "newsmon" / "cli" / "x.py"
    file.parent.mkdir(parents=True)
    file.write_text("import crawler.run\nimport nlp.runner\nimport api.main\nimport digest.send\n", encoding="utf-8")
    assert violations(tmp_path) == []


@pytest.mark.parametrize("package", ["newsmon", *STAGES])
def test_no_module_is_over_400_lines(package: str) -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / package).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long


def test_the_benchmarks_do_not_import_the_tests() -> None:
    found = {str(p.relative_to(ROOT)): sorted(i for i in imported_modules(p) if _is_within(i, "tests"))
             for p in (ROOT / "bench").glob("*.py")}
    assert not {path: imports for path, imports in found.items() if imports}
