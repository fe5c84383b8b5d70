#!/usr/bin/env python3
"""Generate data/resource_spec.inc: which property changes replace a CloudFormation resource.

The source is the database of the npm package @aws-cdk/aws-service-spec (db.json.gz), the same
data `cdk diff` uses. Install it, then run this script from anywhere:

    npm install --prefix tools/.npm-spec @aws-cdk/aws-service-spec
    python3 tools/gen_resource_spec.py

The database is a tskb dump: {"schema": {"resource": {"entities": [...]}, "typeDefinition":
{"entities": [...]}, "usesType": {"forward": {resource id: [{"$id": type id}, ...]}}, ...}}.
A property carries `causesReplacement` ('yes' | 'maybe', absent means 'no') and a `type` that
may reference a type definition ({"type": "ref", "reference": {"$ref": id}}), possibly as the
element of an array or map, or as one branch of a union.

Output rows are sorted by (owner, property) in byte order so that the C++ side can binary
search them; the output depends on nothing but the input, so a refresh diffs cleanly.
"""

import argparse
import gzip
import json
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO / "tools/.npm-spec/node_modules/@aws-cdk/aws-service-spec"
DEFAULT_DB = PACKAGE_DIR / "db.json.gz"
DEFAULT_OUT = REPO / "data/resource_spec.inc"

CODES = {None: "n", "no": "n", "maybe": "m", "yes": "a"}
RANK = {"n": 0, "m": 1, "a": 2}

# Corrections of the upstream data, each with its evidence. Keep this short: a patch is a
# claim that the data is wrong, and it must be re-checked at every refresh.
PATCHES = {
    # The registry schema of AWS::EC2::Volume declares no createOnlyProperties, so the data
    # says these never replace. EC2 cannot change them on an existing volume (ModifyVolume
    # changes only size, type, IOPS, throughput and multi-attach): a stack update that
    # changes them fails ("Volume properties other than AutoEnableIO, type, size, and IOPS
    # cannot be updated") or replaces the volume, and either way the in-place update the data
    # promises does not happen. The Things Stack's 2-5-db-timescale procedure recreates its
    # data volume from a snapshot through SnapshotId, so this matters.
    ("AWS::EC2::Volume", "AvailabilityZone"): "a",
    ("AWS::EC2::Volume", "AvailabilityZoneId"): "a",
    ("AWS::EC2::Volume", "Encrypted"): "a",
    ("AWS::EC2::Volume", "KmsKeyId"): "a",
    ("AWS::EC2::Volume", "OutpostArn"): "a",
    ("AWS::EC2::Volume", "SnapshotId"): "a",
}


class Prop:
    """One property of a resource or type definition, reduced to what the lookup needs."""

    def __init__(self, code, nested, keyed):
        self.code = code        # 'n', 'm' or 'a'
        self.nested = nested    # full name of the nested type definition, or None
        self.keyed = keyed      # the value is a map of `nested`: a map key comes next in a path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", type=pathlib.Path, default=DEFAULT_DB,
                        help="path to db.json.gz (default: %(default)s)")
    parser.add_argument("--package-json", type=pathlib.Path,
                        help="package.json to read the version from (default: beside db)")
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT,
                        help="output file (default: %(default)s)")
    return parser.parse_args()


def package_source(package_json):
    meta = json.loads(package_json.read_text())
    return f"{meta['name']} {meta['version']}"


def type_refs(t, keyed=False):
    """Yields (type definition id, keyed) for every reference inside a property type."""
    kind = t["type"]
    if kind == "ref":
        yield t["reference"]["$ref"], keyed
    elif kind == "array":
        yield from type_refs(t["element"], keyed)
    elif kind == "map":
        yield from type_refs(t["element"], True)
    elif kind == "union":
        for branch in t["types"]:
            yield from type_refs(branch, keyed)


class Spec:
    """The resources and type definitions of the database, keyed by their full names."""

    def __init__(self, schema):
        resources = schema["resource"]["entities"]
        typedefs = schema["typeDefinition"]["entities"]
        by_id = {e["$id"]: e for e in resources + typedefs}
        self.typedef_names = {}
        for resource_id, uses in schema["usesType"]["forward"].items():
            owner = by_id[resource_id]["cloudFormationType"]
            for use in uses:
                self.typedef_names[use["$id"]] = f"{owner}.{by_id[use['$id']]['name']}"
        self.resources = {}
        self.typedefs = {}
        self.multi_ref_unions = []
        for r in resources:
            self.resources[r["cloudFormationType"]] = self.props_of(r, r["cloudFormationType"])
        for t in typedefs:
            name = self.typedef_names[t["$id"]]
            self.typedefs[name] = self.props_of(t, name)

    def props_of(self, entity, owner):
        props = {}
        for name, p in entity["properties"].items():
            check_ascii(owner, name)
            refs = sorted(set(type_refs(p["type"])))
            nested, keyed = None, False
            if len(refs) == 1:
                nested, keyed = self.typedef_names[refs[0][0]], refs[0][1]
            elif len(refs) > 1:
                # A union of several type definitions: a path cannot tell which one applies,
                # so the walk stops here and the property's own code answers.
                self.multi_ref_unions.append(f"{owner}.{name}")
            props[name] = Prop(CODES[p.get("causesReplacement")], nested, keyed)
        return props

    def apply_patches(self):
        for (rtype, name), code in PATCHES.items():
            self.resources[rtype][name].code = code


def check_ascii(owner, name):
    # The C++ side compares bytes; Python compares code points. They agree on ASCII.
    if not (owner.isascii() and name.isascii()) or '"' in owner + name or "\\" in owner + name:
        sys.exit(f"gen_resource_spec: unexpected character in {owner!r} {name!r}")


def subtree_strength(typedefs):
    """For each type definition, the strongest code anywhere below it (recursion allowed)."""
    strength = {name: "n" for name in typedefs}
    changed = True
    while changed:  # a fixed point, because type definitions can be recursive
        changed = False
        for name, props in typedefs.items():
            best = max([strength[name]] + [p.code for p in props.values()] +
                       [strength[p.nested] for p in props.values() if p.nested], key=RANK.get)
            if best != strength[name]:
                strength[name], changed = best, True
    return strength


def prune(spec):
    """Drops nested links and type definitions that can never change an answer.

    The lookup takes the strongest code along a path, so a link matters only where the
    subtree below it holds a code stronger than the linking property's own.
    """
    strength = subtree_strength(spec.typedefs)
    for props in list(spec.resources.values()) + list(spec.typedefs.values()):
        for prop in props.values():
            if prop.nested and RANK[strength[prop.nested]] <= RANK[prop.code]:
                prop.nested, prop.keyed = None, False
    reachable, todo = set(), [p.nested for props in spec.resources.values()
                              for p in props.values() if p.nested]
    while todo:
        name = todo.pop()
        if name not in reachable:
            reachable.add(name)
            todo.extend(p.nested for p in spec.typedefs[name].values() if p.nested)
    return {name: {n: p for n, p in spec.typedefs[name].items() if p.code != "n" or p.nested}
            for name in reachable}


def row(owner, name, prop):
    fields = [f'"{owner}"', f'"{name}"', f"'{prop.code}'"]
    if prop.nested:
        fields.append(f'"{prop.nested}"')
        if prop.keyed:
            fields.append("true")
    return "{" + ",".join(fields) + "},"


def rows_of(table):
    return [row(owner, name, table[owner][name])
            for owner in sorted(table) for name in sorted(table[owner])]


def render(source, spec, typedefs):
    resource_rows = rows_of(spec.resources)
    type_rows = rows_of(typedefs)
    header = [
        f"// Generated by tools/gen_resource_spec.py from {source} (db.json.gz). Do not edit.",
        "// Regenerate with:",
        "//   npm install --prefix tools/.npm-spec @aws-cdk/aws-service-spec",
        "//   python3 tools/gen_resource_spec.py",
        "//",
        "// Rows are {owner, property, code[, nested type definition[, nested is a map]]},",
        "// code 'n' never, 'm' maybe, 'a' always replaces; sorted by (owner, property) in byte",
        "// order. A nested link is kept only where the type definitions below it hold a",
        "// stronger code than the linking row's; only type definitions reached that way, and",
        "// only their rows with a code or a link, are kept.",
        f"// {len(spec.resources)} resource types, {len(resource_rows)} resource property rows,"
        f" {len(type_rows)} type-definition property rows.",
        "// Corrections applied on top of the data (see PATCHES in the script):",
        *[f"//   {rtype} {name} -> '{code}'" for (rtype, name), code in sorted(PATCHES.items())],
        "",
        f'#define STACKSHIFT_SPEC_SOURCE "{source}"',
        "",
    ]
    body = ["constexpr const char* spec_types[] = {",
            *[f'"{name}",' for name in sorted(spec.resources)],
            "};", "",
            "constexpr SpecRow resource_rows[] = {", *resource_rows, "};", "",
            "constexpr SpecRow type_rows[] = {", *type_rows, "};"]
    return "\n".join(header + body) + "\n", len(resource_rows), len(type_rows)


def main():
    args = parse_args()
    package_json = args.package_json or args.db.parent / "package.json"
    source = package_source(package_json)
    with gzip.open(args.db, "rt", encoding="utf-8") as f:
        spec = Spec(json.load(f)["schema"])
    spec.apply_patches()
    typedefs = prune(spec)
    text, n_resource_rows, n_type_rows = render(source, spec, typedefs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"{args.out}: {source}, {len(spec.resources)} types, {n_resource_rows} resource rows, "
          f"{n_type_rows} type-definition rows, {len(text.encode())} bytes")
    if spec.multi_ref_unions:
        print(f"note: {len(spec.multi_ref_unions)} properties are unions of several type "
              f"definitions; their nested paths fall back to the property's own code")


if __name__ == "__main__":
    main()
