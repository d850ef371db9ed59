"""The demo city comes from the on-disk cache on its second start; a new key builds it afresh."""

from __future__ import annotations

import pytest

from backend.embedded import DemoCity, city_cache
from domain.rules import default_rules


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRIDCC_CACHE_DIR", str(folder))
    return folder


def _start(steps: list[str]) -> DemoCity:
    return DemoCity(scale=0.02, speed=1.0, prefill_hours=0.2, evidence=False, human_role="wall").start(steps.append)


def _nodes(demo: DemoCity):
    return demo.running().store.nodes(with_geometry=True)


def test_second_start_takes_the_cached_city_and_it_is_the_same_city(cache):
    first_steps: list[str] = []
    first = _start(first_steps)
    try:
        generated, workers = _nodes(first), first.running().store.all_workers()
    finally:
        first.stop()
    assert "generating the city" in first_steps
    assert len(list(cache.glob("*.city.sqlite3"))) == 1
    second_steps: list[str] = []
    second = _start(second_steps)
    try:
        assert "generating the city" not in second_steps and "the city from the cache" in second_steps
        assert _nodes(second) == generated and second.running().store.all_workers() == workers
    finally:
        second.stop()


def test_a_new_version_key_rebuilds_the_city_and_drops_the_stale_file(cache, monkeypatch):
    _start([]).stop()
    (stale,) = cache.glob("*.city.sqlite3")
    monkeypatch.setattr(city_cache, "CACHE_VERSION", city_cache.CACHE_VERSION + 1)
    steps: list[str] = []
    _start(steps).stop()
    assert "generating the city" in steps
    (fresh,) = cache.glob("*.city.sqlite3")
    assert fresh != stale and not stale.exists()


def test_the_key_follows_seed_scale_and_catalog():
    departments = list(default_rules().catalog.departments.values())
    base = city_cache.city_key(2023, 1.0, departments)
    assert base == city_cache.city_key(2023, 1.0, list(reversed(departments)))
    assert len({base, city_cache.city_key(2024, 1.0, departments), city_cache.city_key(2023, 0.5, departments),
                city_cache.city_key(2023, 1.0, departments[1:])}) == 4


def test_an_unreadable_cache_folder_only_costs_the_generation(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("GRIDCC_CACHE_DIR", str(blocker))
    steps: list[str] = []
    demo = _start(steps)
    try:
        assert "generating the city" in steps and _nodes(demo)
    finally:
        demo.stop()


def test_a_city_from_the_cache_is_not_migrated_again(cache, monkeypatch):
    """The cached city is at the head: no migration, so alembic is not imported before the first window."""
    from backend.store import Store

    _start([]).stop()  # generated, migrated and cached
    migrated: list[str] = []
    plain_migrate = Store.migrate
    monkeypatch.setattr(Store, "migrate", lambda self: migrated.append(str(self.url)) or plain_migrate(self))
    demo = _start([])
    try:
        assert migrated == []
        assert demo.running().store.schema_status().state == "current"
    finally:
        demo.stop()
    monkeypatch.delenv("GRIDCC_CACHE_DIR")
    monkeypatch.setenv("GRIDCC_CACHE_DIR", str(cache.parent / "empty"))
    _start([]).stop()  # a city generated afresh is migrated as before
    assert len(migrated) == 1
