"""Drill-down: the tree loads children only when opened; tree and breadcrumb emit node codes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from domain.hierarchy import Level
from tests.widgets.list_source import small_city
from widgets.common import roles as R
from widgets.console.tree import Breadcrumb, NodeTree, NodeTreeModel


def test_children_are_loaded_lazily(qtbot):
    city = small_city()
    model = NodeTreeModel(city, "370203")
    assert model.loaded_count() == 1 and model.rowCount() == 1
    root = model.index(0, 0)
    assert model.data(root) == "市北区" and model.data(root, R.NODE_CODE) == "370203"
    assert model.hasChildren(root) and model.rowCount(root) == 0 and model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount(root) == 3 and model.loaded_count() == 4
    street = model.index(1, 0, root)
    assert model.data(street) == "第2街道"
    assert model.parent(street) == root
    assert not model.is_fetched("370203002")  # nothing below the streets yet
    assert model.loaded_count() < len(city)


def test_index_of_fetches_only_the_path(qtbot):
    model = NodeTreeModel(small_city(), "370203")
    index = model.index_of("370203002003004")
    assert model.data(index) == "第2-3-4网格"
    assert model.data(index.parent()) == "第2-3社区"
    assert model.data(index.parent().parent()) == "第2街道"
    assert model.loaded_count() == 1 + 3 + 3 + 5  # root, streets, one street's communities, one community's grids
    assert not model.hasChildren(index)  # grids are leaves
    with pytest.raises(ValueError, match="not in this tree"):
        model.index_of("370202001")


def test_deepest_level_stops_the_tree(qtbot):
    model = NodeTreeModel(small_city(), "370203", deepest=Level.COMMUNITY)
    community = model.index_of("370203001002")
    assert not model.hasChildren(community) and not model.canFetchMore(community)
    with pytest.raises(ValueError, match="below the deepest level"):
        model.index_of("370203001002001")


def test_view_expands_lazily_and_emits_on_click_and_enter(qtbot):
    city = small_city()
    tree = NodeTree(NodeTreeModel(city, "370203"))
    qtbot.addWidget(tree)
    tree.resize(300, 500)
    tree.show()
    qtbot.waitExposed(tree)
    model = tree.tree_model()
    assert model.is_fetched("370203") and not model.is_fetched("370203001")
    street = model.index_of("370203001")
    tree.expand(street)
    assert model.is_fetched("370203001") and not model.is_fetched("370203001001")
    rect = tree.visualRect(street)
    with qtbot.waitSignal(tree.node_chosen) as chosen:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args == ["370203001"]
    tree.select_code("370203003002005")
    assert model.code_of(tree.currentIndex()) == "370203003002005"
    with qtbot.waitSignal(tree.node_chosen) as chosen:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert chosen.args == ["370203003002005"]


def test_breadcrumb_shows_the_path_and_emits(qtbot):
    crumb = Breadcrumb(small_city(), "370203")
    qtbot.addWidget(crumb)
    crumb.set_code("370203002001")
    assert [b.text() for b in crumb.buttons] == ["市北区", "第2街道", "第2-1社区"]
    assert crumb.buttons[-1].property("current") is True
    with qtbot.waitSignal(crumb.node_chosen) as chosen:
        qtbot.mouseClick(crumb.buttons[1], Qt.MouseButton.LeftButton)
    assert chosen.args == ["370203002"]
    with pytest.raises(ValueError, match="not within the breadcrumb root"):
        crumb.set_code("3702")


def test_a_district_of_14000_grids_opens_without_touching_them(qtbot):
    city = small_city()
    for s in range(4, 14):  # 10 more streets × 40 communities × 35 grids = 14,000 grids
        street = f"370203{s:03d}"
        city.add(street, f"第{s}街道")
        for c in range(1, 41):
            community = f"{street}{c:03d}"
            city.add(community, f"社区{s}-{c}")
            for g in range(1, 36):
                city.add(f"{community}{g:03d}", f"网格{s}-{c}-{g}")
    assert len(city) > 14_000
    tree = NodeTree(NodeTreeModel(city, "370203"))
    qtbot.addWidget(tree)
    tree.show()
    qtbot.waitExposed(tree)
    assert tree.tree_model().loaded_count() == 1 + 13  # the district and its streets
    tree.select_code("370203013040035")
    assert tree.tree_model().loaded_count() == 1 + 13 + 40 + 35
