"""Keep only the CSS rules the portal's pages can use, then write them out minified.

A rule stays when every class its selector needs (outside functional pseudo-classes such
as `:not()` or `:has()`, which are kept to be safe) is a word that appears in a template or
in the portal's Python code. A class built in a template from a prefix, a variable and
perhaps a suffix (`utrecht-button--{{ variant }}-action`, `"opnameloket-input--width-" ~
width`) keeps every class of that shape whose variable part is one word. Custom properties
(design tokens) stay only when a kept declaration uses them, directly or through another
token. Comments go; the output is one line per rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from tinycss2 import ast

# Words that may be class names: what PurgeCSS's default extractor takes too.
WORD = re.compile(r"[A-Za-z0-9_-]+")
# `utrecht-button--{{ variant }}-action` and `"opnameloket-input--width-" ~ width`: the
# template fills in a word of the class.
TEMPLATED = re.compile(r"([A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_-]*-)(?:\{\{[^}]*\}\}([A-Za-z0-9_-]*)"
                       r"|[\"']\s*~)")
# At-rules whose block holds rules that are purged like the top level.
GROUPING = {"media", "supports", "container", "layer"}
# Whitespace that may go next to these tokens without changing the meaning.
TIGHT_IN_SELECTOR = {",", ">", "+", "~"}
TIGHT_IN_VALUE = {","}
SPACE = ast.WhitespaceToken(0, 0, " ")


@dataclass
class UsedWords:
    """The words the pages and the code can put into a class attribute."""

    words: set[str] = field(default_factory=set)
    shapes: set[tuple[str, str]] = field(default_factory=set)  # (prefix, suffix)

    def has(self, name: str) -> bool:
        """Whether a class of this name can appear on a page."""
        return name in self.words or any(
            name.startswith(prefix) and name.endswith(suffix)
            and re.fullmatch(r"[A-Za-z0-9_]+", name[len(prefix):len(name) - len(suffix)])
            for prefix, suffix in self.shapes)


def used_words(files: Iterable[Path]) -> UsedWords:
    """Collect the possible class names from templates and code."""
    used = UsedWords()
    for path in files:
        text = path.read_text(encoding="utf-8")
        used.words.update(WORD.findall(text))
        used.shapes.update(TEMPLATED.findall(text))
    return used


def selector_classes(tokens: list) -> list[str]:
    """The classes a selector needs, outside functional pseudo-classes."""
    classes = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        if (token.type == "ident" and before is not None and before.type == "literal"
                and before.value == "."):
            classes.append(token.value)
    return classes


def _split(tokens: list, separator: str = ",") -> list[list]:
    """Split a token list at top-level literal separators."""
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == separator:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def squeeze(tokens: list, tight: set[str]) -> list:
    """Collapse whitespace to one space, and drop it at the ends and around `tight` tokens."""
    def is_tight(token) -> bool:
        return ((token.type == "literal" and token.value in tight)
                or (token.type == "{} block" and "{" in tight))

    out: list = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            if out and not is_tight(out[-1]) and out[-1] is not SPACE:
                out.append(SPACE)
            continue
        if is_tight(token) and out and out[-1] is SPACE:
            out.pop()
        if token.type == "function":
            token = ast.FunctionBlock(0, 0, token.name, squeeze(token.arguments, TIGHT_IN_VALUE))
        elif token.type == "() block":
            token = ast.ParenthesesBlock(0, 0, squeeze(token.content, TIGHT_IN_VALUE))
        elif token.type == "{} block":
            token = ast.CurlyBracketsBlock(0, 0, squeeze(token.content, tight))
        out.append(token)
    while out and out[-1] is SPACE:
        out.pop()
    return out


def custom_properties_used(tokens: Iterable) -> set[str]:
    """Names of the custom properties a value reads with var()."""
    names: set[str] = set()
    for token in tokens:
        if token.type == "function":
            if token.lower_name == "var":
                first = next((t for t in token.arguments if t.type == "ident"), None)
                if first is not None and first.value.startswith("--"):
                    names.add(first.value)
            names |= custom_properties_used(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            names |= custom_properties_used(token.content)
    return names


@dataclass
class Rule:
    """A kept style rule: its selectors and declarations (name, value tokens, important)."""

    selectors: list[str]
    declarations: list[tuple[str, list, bool]]


@dataclass
class Group:
    """A kept at-rule: `@media …` and the like with rules inside, or one kept verbatim."""

    keyword: str
    prelude: str
    children: list | None = None
    verbatim: str | None = None


def purge(css: str, used: UsedWords) -> list:
    """The stylesheet's rules whose selectors the pages can match, with unused selectors cut."""
    return _purge_rules(tinycss2.parse_stylesheet(css, skip_comments=True,
                                                  skip_whitespace=True), used)


def _purge_rules(rules: list, used: UsedWords) -> list:
    """Purge a list of parsed rules (the top level or a grouping at-rule's block)."""
    kept: list = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split(rule.prelude)
                         if all(used.has(c) for c in selector_classes(s))]
            if selectors:
                kept.append(Rule(
                    [tinycss2.serialize(squeeze(s, TIGHT_IN_SELECTOR)) for s in selectors],
                    _declarations(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue  # the built file says its own charset
        elif rule.type == "at-rule":
            prelude = tinycss2.serialize(squeeze(rule.prelude, TIGHT_IN_VALUE))
            if rule.lower_at_keyword in GROUPING and rule.content is not None:
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                 skip_whitespace=True)
                children = _purge_rules(inner, used)
                if children:
                    kept.append(Group(rule.lower_at_keyword, prelude, children))
            else:
                kept.append(Group(rule.lower_at_keyword, prelude,
                                  verbatim=_minify_block(rule.content)))
    return kept


def _declarations(content: list) -> list[tuple[str, list, bool]]:
    """The declarations of a rule's block, values squeezed."""
    out = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True,
                                               skip_whitespace=True):
        if item.type == "declaration":
            custom = item.name.startswith("--")
            value = squeeze(item.value, set() if custom else TIGHT_IN_VALUE)
            # An empty custom property (`--x: ;`) is valid; `--x:;` is not in every browser.
            out.append((item.name, value or [SPACE], item.important))
    return out


def _minify_block(content: list | None) -> str | None:
    """A block kept whole (@keyframes, @font-face): whitespace collapsed."""
    if content is None:
        return None
    return tinycss2.serialize(squeeze(content, {",", ";", ":", "{"}))


def drop_unused_tokens(rules: list) -> list:
    """Remove custom property declarations that no kept declaration reads."""
    declared: dict[str, list] = {}
    roots: set[str] = set()
    for rule in _walk(rules):
        if isinstance(rule, Rule):
            for name, value, _important in rule.declarations:
                if name.startswith("--"):
                    declared.setdefault(name, []).append(value)
                else:
                    roots |= custom_properties_used(value)
        elif rule.verbatim:
            roots |= set(re.findall(r"var\(\s*(--[A-Za-z0-9_-]+)", rule.verbatim))
    needed: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for value in declared.get(name, []):
            todo.extend(custom_properties_used(value) - needed)
    return _keep_tokens(rules, needed)


def _walk(rules: list) -> Iterable:
    """Every rule and group, depth first."""
    for rule in rules:
        yield rule
        if isinstance(rule, Group) and rule.children:
            yield from _walk(rule.children)


def _keep_tokens(rules: list, needed: set[str]) -> list:
    """The rules with unneeded custom properties removed, and rules left empty dropped."""
    out: list = []
    for rule in rules:
        if isinstance(rule, Rule):
            kept = [d for d in rule.declarations if not d[0].startswith("--") or d[0] in needed]
            if kept:
                out.append(Rule(rule.selectors, kept))
        elif rule.children is not None:
            children = _keep_tokens(rule.children, needed)
            if children:
                out.append(Group(rule.keyword, rule.prelude, children))
        else:
            out.append(rule)
    return out


def keyframes_used(rules: list) -> list:
    """Drop @keyframes that no kept animation names."""
    names: set[str] = set()
    for rule in _walk(rules):
        if isinstance(rule, Rule):
            for name, value, _important in rule.declarations:
                if name in ("animation", "animation-name") or name.startswith("--"):
                    names |= {t.value for t in value if t.type == "ident"}
    return [r for r in rules if not (isinstance(r, Group) and r.keyword == "keyframes"
                                     and r.prelude not in names)]


def serialize(rules: list) -> str:
    """The rules as minified CSS, one rule a line."""
    lines = []
    for rule in rules:
        if isinstance(rule, Rule):
            body = ";".join(f"{name}:{tinycss2.serialize(value)}"
                            + ("!important" if important else "")
                            for name, value, important in rule.declarations)
            lines.append(",".join(rule.selectors) + "{" + body + "}")
        elif rule.children is not None:
            lines.append(f"@{rule.keyword} {rule.prelude}{{{serialize(rule.children)}}}")
        elif rule.verbatim is None:
            lines.append(f"@{rule.keyword} {rule.prelude};")
        else:
            lines.append(f"@{rule.keyword} {rule.prelude}{{{rule.verbatim}}}")
    return "\n".join(lines)
