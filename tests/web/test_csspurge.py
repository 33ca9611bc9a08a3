"""The purge and minify step of the stylesheet build, on small stylesheets."""

from __future__ import annotations

from portal.web import csspurge


def _build(css: str, *words: str, shapes=()) -> str:
    used = csspurge.UsedWords(set(words), set(shapes))
    rules = csspurge.keyframes_used(csspurge.drop_unused_tokens(csspurge.purge(css, used)))
    return csspurge.serialize(rules)


def test_rules_of_unused_classes_go_and_element_rules_stay():
    css = """
    /* a comment */
    .a { color: red; }
    .b { color: blue; }
    p  { margin: 0; }
    """

    assert _build(css, "a") == ".a{color:red}\np{margin:0}"


def test_a_selector_list_keeps_only_the_selectors_the_pages_can_match():
    css = ".a:hover, .b > .c, .a .d , [hidden] { color: red }"

    assert _build(css, "a", "c") == ".a:hover,[hidden]{color:red}"


def test_classes_inside_functional_pseudo_classes_are_not_required():
    assert _build(".a:not(.gone) { color: red }", "a") == ".a:not(.gone){color:red}"


def test_descendant_and_pseudo_class_spacing_survive_minifying():
    css = ".a  :hover { margin : 0  auto ; font-family: a ,  b ; width: calc(1px  +  2px) }"

    assert _build(css, "a") == ".a :hover{margin:0 auto;font-family:a,b;width:calc(1px + 2px)}"


def test_media_blocks_keep_their_used_rules_and_empty_ones_go():
    css = """
    @media (min-width: 40em) { .a { color: red } .b { color: blue } }
    @media print { .b { display: none } }
    """

    assert _build(css, "a") == "@media (min-width: 40em){.a{color:red}}"


def test_design_tokens_stay_only_when_a_kept_rule_reads_them():
    css = """
    .theme { --used: var(--inner); --inner: 1px; --unused: 2px; --only-unused: var(--x); }
    .a { border-width: var(--used, 0) }
    .b { border-width: var(--only-unused) }
    """

    assert _build(css, "theme", "a") == (
        ".theme{--used:var(--inner);--inner:1px}\n.a{border-width:var(--used,0)}")


def test_keyframes_stay_only_when_animated():
    css = "@keyframes spin { to { transform: rotate(1turn) } } @keyframes gone { to {} }" \
          ".a { animation: spin 1s }"

    assert _build(css, "a") == (
        "@keyframes spin{to{transform:rotate(1turn)}}\n.a{animation:spin 1s}")


def test_classes_built_in_templates_keep_every_one_word_variant(tmp_path):
    template = tmp_path / "page.html"
    template.write_text('<a class="button button--{{ variant }}-action x-{{ y }}">'
                        '{{ field(class_="input " ~ ("input--width-" ~ width)) }}')
    used = csspurge.used_words([template])
    css = (".button--primary-action{a:1}.button--busy{a:2}.button--a-b-action{a:3}"
           ".input--width-7{a:4}.x-y{a:5}")

    assert used.shapes == {("button--", "-action"), ("input--width-", "")}
    assert csspurge.serialize(csspurge.purge(css, used)) == (
        ".button--primary-action{a:1}\n.input--width-7{a:4}")
