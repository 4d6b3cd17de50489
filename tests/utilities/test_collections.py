"""Tests for prefect_core.utilities.collections."""

import collections
import inspect

import pytest

from prefect_core.utilities.collections import (
    CompoundKey,
    DotDict,
    as_nested_dict,
    dict_to_flatdict,
    flatdict_to_dict,
    flatten_seq,
    merge_dicts,
)


class TestDotDict:
    def test_attribute_and_item_access_read_the_same_value(self):
        d = DotDict(a=1)
        assert d.a == 1
        assert d["a"] == 1

    def test_init_dict_and_kwargs_are_both_stored_with_kwargs_winning(self):
        d = DotDict({"a": 1, "b": 2}, b=3)
        assert d.to_dict() == {"a": 1, "b": 3}

    def test_attribute_assignment_stores_an_item(self):
        d = DotDict()
        d.x = 5
        assert d["x"] == 5
        assert "x" in d

    def test_item_assignment_is_visible_as_attribute(self):
        d = DotDict()
        d["y"] = 6
        assert d.y == 6

    def test_keys_that_are_not_identifiers_work_with_brackets(self):
        d = DotDict({"not an identifier": 1})
        assert d["not an identifier"] == 1

    def test_missing_attribute_raises_attribute_error(self):
        with pytest.raises(AttributeError):
            DotDict().missing

    def test_missing_item_raises_key_error(self):
        with pytest.raises(KeyError):
            DotDict()["missing"]

    def test_get_returns_default_for_missing_key(self):
        assert DotDict().get("missing", 7) == 7
        assert DotDict().get("missing") is None

    def test_len_and_iteration_follow_insertion_order(self):
        d = DotDict(b=1, a=2)
        assert len(d) == 2
        assert list(d) == ["b", "a"]

    def test_delete_item_removes_key(self):
        d = DotDict(a=1)
        del d["a"]
        assert "a" not in d
        assert len(d) == 0

    def test_nested_dicts_are_not_converted(self):
        d = DotDict({"a": {"b": 1}})
        assert type(d.a) is dict

    def test_copy_is_shallow_and_of_the_same_type(self):
        class Sub(DotDict):
            pass

        inner = [1]
        d = Sub(a=inner)
        copied = d.copy()
        assert type(copied) is Sub
        assert copied is not d
        assert copied.a is inner

    def test_to_dict_converts_nested_dotdicts_to_dicts(self):
        d = DotDict(a=DotDict(b=DotDict(c=1)))
        result = d.to_dict()
        assert result == {"a": {"b": {"c": 1}}}
        assert type(result["a"]) is dict
        assert type(result["a"]["b"]) is dict

    def test_repr_lists_sorted_key_reprs(self):
        assert repr(DotDict(b=1, a=2)) == "<DotDict: 'a', 'b'>"

    def test_repr_of_empty_dotdict(self):
        assert repr(DotDict()) == "<DotDict>"

    def test_equality_with_plain_dict(self):
        assert DotDict(a=1) == {"a": 1}

    def test_update_and_setdefault_from_mutable_mapping(self):
        d = DotDict()
        d.update({"a": 1})
        assert d.setdefault("a", 2) == 1
        assert d.setdefault("b", 3) == 3
        assert d.to_dict() == {"a": 1, "b": 3}


class TestMergeDicts:
    def test_nested_values_are_merged(self):
        merged = merge_dicts({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}, "d": 4})
        assert merged == {"a": {"b": 1, "c": 3}, "d": 4}

    def test_inputs_are_not_modified(self):
        d1 = {"a": {"b": 1}}
        d2 = {"a": {"b": 2}}
        merge_dicts(d1, d2)
        assert d1 == {"a": {"b": 1}}
        assert d2 == {"a": {"b": 2}}

    def test_non_mapping_value_replaces_a_mapping(self):
        assert merge_dicts({"a": {"b": 1}}, {"a": 1}) == {"a": 1}

    def test_mapping_value_replaces_a_non_mapping(self):
        assert merge_dicts({"a": 1}, {"a": {"b": 2}}) == {"a": {"b": 2}}

    def test_type_of_first_argument_is_kept(self):
        assert type(merge_dicts(DotDict(a=1), {"b": 2})) is DotDict


class TestAsNestedDict:
    def test_dicts_become_dotdicts_by_default(self):
        result = as_nested_dict({"a": {"b": 1}})
        assert isinstance(result, DotDict)
        assert isinstance(result.a, DotDict)
        assert result.a.b == 1

    def test_dotdicts_become_dicts(self):
        result = as_nested_dict(DotDict(a=DotDict(b=1)), dict)
        assert result == {"a": {"b": 1}}
        assert type(result["a"]) is dict

    def test_mappings_inside_lists_and_tuples_are_converted(self):
        result = as_nested_dict({"a": [{"b": 1}], "c": ({"d": 2},)})
        assert isinstance(result.a, list)
        assert isinstance(result.a[0], DotDict)
        assert isinstance(result.c, tuple)
        assert isinstance(result.c[0], DotDict)

    def test_named_tuples_keep_their_type(self):
        Point = collections.namedtuple("Point", "x y")
        result = as_nested_dict(Point({"a": 1}, 2))
        assert type(result) is Point
        assert result.x.a == 1

    def test_other_values_are_returned_unchanged(self):
        value = object()
        assert as_nested_dict(value) is value


class TestFlattenSeq:
    def test_nested_lists_are_flattened_in_order(self):
        assert list(flatten_seq([1, [2, [3, [4]]], 5])) == [1, 2, 3, 4, 5]

    def test_strings_and_bytes_are_atoms(self):
        assert list(flatten_seq(["ab", [b"cd"]])) == ["ab", b"cd"]

    def test_returns_a_generator(self):
        assert inspect.isgenerator(flatten_seq([1]))

    def test_tuples_and_sets_are_flattened(self):
        assert sorted(flatten_seq([(1, 2), {3}])) == [1, 2, 3]


class TestFlatDicts:
    def test_compound_key_is_a_tuple(self):
        key = CompoundKey(("a", "b"))
        assert isinstance(key, tuple)
        assert key == ("a", "b")

    def test_dict_to_flatdict_uses_compound_key_paths(self):
        flat = dict_to_flatdict({"a": {"b": 1, "c": {"d": 2}}, "e": 3})
        assert flat == {("a", "b"): 1, ("a", "c", "d"): 2, ("e",): 3}
        assert all(isinstance(key, CompoundKey) for key in flat)

    def test_dict_to_flatdict_with_parent_prefix(self):
        flat = dict_to_flatdict({"b": 1}, parent=CompoundKey(("a",)))
        assert flat == {("a", "b"): 1}

    def test_dict_to_flatdict_does_not_descend_into_dotdicts(self):
        inner = DotDict(b=1)
        assert dict_to_flatdict({"a": inner}) == {("a",): inner}

    def test_flatdict_to_dict_rebuilds_nesting(self):
        nested = {"a": {"b": 1, "c": {"d": 2}}, "e": 3}
        assert flatdict_to_dict(dict_to_flatdict(nested)) == nested

    def test_flatdict_to_dict_uses_the_given_class(self):
        result = flatdict_to_dict({CompoundKey(("a", "b")): 1}, dct_class=DotDict)
        assert isinstance(result, DotDict)
        assert isinstance(result.a, DotDict)

    def test_flatdict_to_dict_keeps_plain_keys_at_top_level(self):
        result = flatdict_to_dict({"x": 1, CompoundKey(("a", "b")): 2})
        assert result == {"x": 1, "a": {"b": 2}}

    def test_flatdict_to_dict_lets_a_later_prefix_path_win(self):
        flat = {CompoundKey(("a", "b")): 1, CompoundKey(("a",)): 2}
        assert flatdict_to_dict(flat) == {"a": 2}

    def test_flatdict_to_dict_replaces_a_leaf_with_a_later_section(self):
        flat = {CompoundKey(("a",)): 2, CompoundKey(("a", "b")): 1}
        assert flatdict_to_dict(flat) == {"a": {"b": 1}}
