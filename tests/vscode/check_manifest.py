#!/usr/bin/env python3
"""Static checks of the VS Code extension (fast, no npm): the manifest's `nodehint.rules` schema
names exactly the rules in src/rules/rules.def, with one self-contained schema each (VS Code
cannot resolve "$ref"s inside contributed settings); every contributed command is registered in
src/ and every setting is documented in the README; the lockfiles record no download addresses.
Usage: check_manifest.py SOURCE_ROOT"""
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
ext = root / "editors" / "vscode"
problems = []
checks = 0


def check(ok, message):
    global checks
    checks += 1
    if not ok:
        problems.append(message)


manifest = json.loads((ext / "package.json").read_text(encoding="utf-8"))
defs = (root / "src" / "rules" / "rules.def").read_text(encoding="utf-8")
rule_ids = re.findall(r'^RULE\(\s*\w+,\s*"([^"]+)"', defs, re.M)
check(rule_ids, "no RULE(...) lines found in src/rules/rules.def")

props = manifest["contributes"]["configuration"]["properties"]
rules = props["nodehint.rules"]
listed = list(rules.get("properties", {}))
for rid in rule_ids:
    check(rid in listed, f"package.json: nodehint.rules does not list rule {rid} (src/rules/rules.def)")
for rid in listed:
    check(rid in rule_ids, f"package.json: nodehint.rules lists {rid}, which src/rules/rules.def does not have")
generic = rules.get("additionalProperties", {})
for rid, schema in rules.get("properties", {}).items():
    body = {k: v for k, v in schema.items() if k != "markdownDescription"}
    check(body == generic, f"package.json: nodehint.rules.{rid}: schema differs from additionalProperties")
check("$ref" not in json.dumps(props), 'package.json: "$ref" in a setting schema (VS Code cannot resolve it)')

for key in ["nodehint.enable", "nodehint.path", "nodehint.rules", "nodehint.hoverLanguage", "nodehint.trace.server"]:
    check(key in props, f"package.json: setting {key} is not contributed")
readme = (ext / "README.md").read_text(encoding="utf-8")
for key in props:
    check(f"`{key}`" in readme, f"README.md does not document {key}")
check(props.get("nodehint.hoverLanguage", {}).get("enum") == ["both", "zh", "en"], "hoverLanguage: enum is not both|zh|en")

sources = "".join(p.read_text(encoding="utf-8") for p in (ext / "src").glob("*.ts"))
for cmd in manifest["contributes"]["commands"]:
    check(f"'{cmd['command']}'" in sources, f"command {cmd['command']} is contributed but not registered in src/")
    check(cmd["title"] in readme, f"README.md does not mention the command \"{cmd['title']}\"")
for event in ["onLanguage:javascript", "onLanguage:javascriptreact"]:
    check(event in manifest.get("activationEvents", []), f"package.json: activation event {event} missing")

for lock in [ext / "package-lock.json", root / "tests" / "vscode" / "package-lock.json"]:
    text = lock.read_text(encoding="utf-8")
    check('"resolved"' not in text, f"{lock.relative_to(root)} records download addresses (\"resolved\")")
for name in ["README.md", "CHANGELOG.md", "LICENSE", "images/icon.png", ".vscodeignore", ".gitignore"]:
    check((ext / name).is_file(), f"editors/vscode/{name} is missing")

for p in problems:
    print(f"FAIL: {p}")
print(f"{checks - len(problems)} passed, {len(problems)} failed")
sys.exit(1 if problems else 0)
