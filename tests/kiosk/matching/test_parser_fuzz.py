"""Whatever an administrator types into a condition tree, the parser reports problems, never crashes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.matching.conditions import Condition
from kiosk.matching.fields import FIELDS
from kiosk.matching.tree_parser import CatalogueProblem, TreeParser

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False), st.text(max_size=12)
)
KEYS = st.sampled_from(
    ["all", "any", "not", "field", "op", "value", "ratio_of", "alt_value", "confirm", "ko", "en", "zzz"]
)
LEAF = st.fixed_dictionaries(
    {
        "field": st.one_of(st.sampled_from(list(FIELDS)), st.text(max_size=8)),
        "op": st.sampled_from(
            ["le", "lt", "ge", "gt", "eq", "ne", "in", "not_in", "has_any", "has_none", "like"]
        ),
        "value": st.one_of(SCALARS, st.lists(SCALARS, max_size=3)),
    }
)
TREES = st.recursive(
    st.one_of(LEAF, SCALARS, st.dictionaries(KEYS, SCALARS, max_size=3)),
    lambda children: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(children, max_size=3)),
        st.builds(lambda c: {"any": c}, st.lists(children, max_size=3)),
        st.builds(lambda c: {"not": c}, children),
        st.dictionaries(KEYS, children, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(TREES)
def test_parser_never_crashes_and_explains_rejections(raw: Any):
    problems: list[CatalogueProblem] = []
    tree = TreeParser("fuzz.toml", problems).parse(raw, "eligibility")
    if tree is None:
        assert problems and all(p.ko and p.en and p.where.startswith("eligibility") for p in problems)
    else:
        assert isinstance(tree, Condition)
        tree.evaluate({}, [])  # an accepted tree evaluates on empty answers (all unknown)
