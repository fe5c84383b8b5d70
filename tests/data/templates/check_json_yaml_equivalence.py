#!/usr/bin/env python3
"""Checks that every YAML fixture and its JSON twin describe the same template.

For each NAME.yaml in this folder (or in the folders given as arguments) that has a
NAME.json beside it, the YAML is loaded with CloudFormation's short-form tags
expanded to their long forms (!Ref x -> {"Ref": x}, !GetAtt a.b -> {"Fn::GetAtt":
[a, b]}, !Condition c -> {"Condition": c}, !Foo v -> {"Fn::Foo": v}) and compared
with the JSON, value for value. Duplicate keys are errors on both sides, since a
loader would silently keep only one of them. A YAML file without a JSON twin (or
the reverse) is an error too, unless --allow-missing is given.

Also reports which short-form tags the YAML files use, and fails if one of the
tags the fixtures promise to cover is used by none of them.

Needs PyYAML; without it the check is skipped (exit 0, with a message).

Usage: check_json_yaml_equivalence.py [--allow-missing] [DIR ...]
"""

import json
import os
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    print("check_json_yaml_equivalence: PyYAML is not installed; skipped")
    sys.exit(0)

# Tags whose long form is not "Fn::" + the tag name.
SPECIAL_TAGS = {"Ref": "Ref", "Condition": "Condition"}
# Tags the fixtures set out to exercise (see tests/data/templates/README.md).
PROMISED_TAGS = [
    "Ref", "Sub", "GetAtt", "Join", "If", "Equals", "Not", "And", "Or", "FindInMap",
    "Select", "Split", "Base64", "Cidr", "ImportValue", "GetAZs", "Condition",
]


class DuplicateKey(Exception):
    pass


def make_loader(tags_seen):
    """A SafeLoader that expands CloudFormation short forms and rejects duplicate keys."""

    class CfnLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=True):
        loader.flatten_mapping(node)
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in result:
                mark = key_node.start_mark
                raise DuplicateKey(
                    f"duplicate key {key!r} at line {mark.line + 1}, column {mark.column + 1}")
            result[key] = loader.construct_object(value_node, deep=deep)
        return result

    def construct_tag(loader, suffix, node):
        tags_seen.add(suffix)
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = construct_mapping(loader, node, deep=True)
        if suffix == "GetAtt" and isinstance(value, str):
            # !GetAtt Cluster.Endpoint.Address names attribute "Endpoint.Address".
            resource, _, attribute = value.partition(".")
            value = [resource, attribute]
        return {SPECIAL_TAGS.get(suffix, "Fn::" + suffix): value}

    CfnLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    CfnLoader.add_multi_constructor("!", construct_tag)
    return CfnLoader


def load_json(path):
    def no_duplicates(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise DuplicateKey(f"duplicate key {key!r}")
            result[key] = value
        return result

    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=no_duplicates)


def first_difference(a, b, path="$"):
    """The first place where a and b differ, as 'path: explanation', or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                return f"{path}.{key}: only in YAML"
        for key in b:
            if key not in a:
                return f"{path}.{key}: only in JSON"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items in YAML, {len(b)} in JSON"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    # bool is an int in Python: compare types so that true never equals 1.
    if type(a) is not type(b) or a != b:
        return f"{path}: YAML has {a!r}, JSON has {b!r}"
    return None


def check_folder(folder, allow_missing, tags_seen):
    """Yields (name, error-or-None) for every fixture in folder."""
    names = sorted(os.listdir(folder))
    yamls = {n[:-5] for n in names if n.endswith(".yaml")}
    jsons = {n[:-5] for n in names if n.endswith(".json")}
    for base in sorted(yamls | jsons):
        label = os.path.relpath(os.path.join(folder, base))
        if base not in jsons or base not in yamls:
            if not allow_missing:
                only = "yaml" if base in yamls else "json"
                yield label, f"only {base}.{only} exists; add its twin"
            continue
        try:
            with open(os.path.join(folder, base + ".yaml"), encoding="utf-8") as f:
                from_yaml = yaml.load(f, Loader=make_loader(tags_seen))
            from_json = load_json(os.path.join(folder, base + ".json"))
        except (DuplicateKey, yaml.YAMLError, ValueError) as e:
            yield label, str(e)
            continue
        yield label, first_difference(from_yaml, from_json)


def main(argv):
    allow_missing = "--allow-missing" in argv
    folders = [a for a in argv if not a.startswith("--")]
    if not folders:
        folders = [os.path.dirname(os.path.abspath(__file__))]
    tags_seen = set()
    passed = failed = 0
    for folder in folders:
        for label, error in check_folder(folder, allow_missing, tags_seen):
            if error:
                failed += 1
                print(f"FAIL {label}: {error}")
            else:
                passed += 1
                print(f"ok   {label}")
    print("short-form tags used: " + " ".join(sorted("!" + t for t in tags_seen)))
    unused = [t for t in PROMISED_TAGS if t not in tags_seen]
    if unused and passed:
        failed += 1
        print("FAIL no fixture uses " + " ".join("!" + t for t in unused))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
