"""`gridcc-hub import register`: all or nothing, every bad row reported, data-as-of stamped."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from backend.cli import main
from backend.gridwork.register_csv import RegisterImportError, import_register
from backend.gridwork.store import GridworkStore
from tests.backend.gridwork.conftest import GRID, GRID_2, HEADER, REGISTER_CSV, T0


def _snapshot(store) -> dict[str, list]:
    with store.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")).all()))
                for t in ("gw_register_grids", "gw_care_people", "gw_visit_tasks")}


BAD = "\n".join([
    HEADER,
    f"grid,{GRID},,,,,,,,,,500,1200,15,45,20,王建华,,,,30,4,6",  # a good row: must not be written either
    f"grid,{GRID_2},,,,,,,,,,-3,abc,12,36,18,孙丽,,,,25,3,5",
    "grid,370202001001999,,,,,,,,,,1,1,1,1,1,,,,,1,1,1",
    f"person,{GRID},p-1,张三明,男,1941,elderly_alone;astronaut,,,12345,1391234567,,,,,,,,,,,,",
    f"person,{GRID},p-1,张三明,男,1941,elderly_alone,,,,,,,,,,,,,,,,",
    f"visitor,{GRID},,,,,,,,,,,,,,,,,,,,,",
]) + "\n"


def test_a_bad_register_changes_nothing_and_lists_every_bad_row(registered):
    store = GridworkStore(registered)
    before = _snapshot(registered)
    with pytest.raises(RegisterImportError) as refused:
        import_register(store, BAD, "bad.csv", as_of=T0, now=T0)
    lines = {line for line, _ in refused.value.errors}
    assert lines == {3, 4, 5, 7}
    messages = dict(refused.value.errors)
    assert "households -3 is negative" in messages[3] and "residents 'abc' is not a whole number" in messages[3]
    assert "not a grid of this city" in messages[4]
    assert "unknown group(s) astronaut" in messages[5] and "id_number" in messages[5] and "phone" in messages[5]
    assert "neither grid nor person" in messages[7]
    assert _snapshot(registered) == before


def test_a_duplicate_person_is_refused(city_store):
    dup = REGISTER_CSV + f"person,{GRID},p-1,张三明,男,1941,elderly_alone,,,,,,,,,,,,,,,,\n"
    with pytest.raises(RegisterImportError, match="already has a row"):
        import_register(GridworkStore(city_store), dup, "dup.csv", as_of=T0, now=T0)
    assert _snapshot(city_store)["gw_care_people"] == []


def test_cli_imports_and_refuses(city_store, db_url, tmp_path, capsys):
    good = tmp_path / "register.csv"
    good.write_text(REGISTER_CSV, encoding="utf-8")
    assert main(["import", "register", "--db", db_url, "--as-of", "2026-03-01", str(good)]) == 0
    out = capsys.readouterr().out
    assert "imported the register of 3 grids with 6 special-care people" in out and "2026-03-01" in out
    assert GridworkStore(city_store).data_as_of(GRID) == 1772294400.0  # 2026-03-01 00:00 CST
    before = _snapshot(city_store)
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["import", "register", "--db", db_url, str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: households -3 is negative" in err and "nothing was imported" in err
    assert _snapshot(city_store) == before


def test_reimport_keeps_open_visits_of_people_still_registered(registered):
    store = GridworkStore(registered)
    before = {r[1]: r for r in _snapshot(registered)["gw_visit_tasks"]}
    fewer = "\n".join(line for line in REGISTER_CSV.splitlines() if ",p-2," not in line) + "\n"
    import_register(store, fewer, "again.csv", as_of=T0, now=T0)
    after = {r[1]: r for r in _snapshot(registered)["gw_visit_tasks"]}
    assert set(after) == set(before) - {"p-2"}
    assert after["p-1"] == before["p-1"]
