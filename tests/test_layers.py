"""Registration is by explicit lists, complete, and nothing is found by name strings.

Each surface has one list of its parts (API routers, dashboard pages, CLI commands, metric
catalogs); a module that exists but is missing from its list is a mistake these tests catch.
"""

from __future__ import annotations

import re
from pathlib import Path

import immstat

SRC = Path(immstat.__file__).parent


def modules(folder: str, pattern: str) -> set[str]:
    return {p.stem for p in (SRC / folder).glob(pattern)}


def test_every_api_routes_module_is_in_routers():
    from immstat import api

    listed = {r.routes[0].endpoint.__module__.rsplit(".", 1)[1] for r in api.ROUTERS}
    assert listed == modules("api", "routes_*.py")


def test_every_page_module_is_in_pages_and_nav_comes_from_the_list():
    from immstat import web

    listed = {p.router.routes[0].endpoint.__module__.rsplit(".", 1)[1] for p in web.PAGES}
    assert listed == modules("web", "pages_*.py")
    assert web.NAV == [p.nav for p in web.PAGES if p.nav]
    assert web.NAV[0] == ("/", "Overview")


def test_every_cli_module_is_a_listed_command_or_group():
    from immstat import cli

    listed = {c.__module__.rsplit(".", 1)[1] for c in cli.COMMANDS}
    listed |= {name for name, _ in cli.GROUPS}
    assert listed == modules("cli", "*.py") - {"__init__", "app", "compose"}
    registered = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    assert registered == {c.__name__ for c in cli.COMMANDS}


def test_every_metric_catalog_is_listed():
    from immstat.metrics import catalog

    assert {m.__name__.rsplit(".", 1)[1] for m in catalog.CATALOGS} == modules("metrics", "catalog_*.py")


def test_nothing_is_imported_by_a_name_string():
    pattern = re.compile(r"import_module\(|pkgutil|__import__\(")
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_modules_stay_small():
    """Under 400 lines in the layers restructured for issue 12 (claims/ has two larger modules)."""
    folders = ("core", "present", "api", "web", "reports", "cli")
    big = {str(p.relative_to(SRC)): n for f in folders for p in (SRC / f).rglob("*.py")
           if (n := len(p.read_text().splitlines())) >= 400}
    assert big == {}


def test_the_package_ships_its_type_information():
    import tomllib

    assert (SRC / "py.typed").is_file()
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text())
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["immstat"]
