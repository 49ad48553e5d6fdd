"""The extractor's fast paths give what the full path gives.

Shortcuts that cut extraction's CPU: rules that drop, per article, the patterns it
cannot match (``TextRule.within``, by ``required_literals``); gates that skip a
search where the text holds no word piece of any match (the gazetteer's and the city
scans, titles before a name, generic event nouns: ``pieces_gate``); the clauses
searched for event words and the kinds tried in each (``WordTable``, one lookup per
word for every kind's gate), the status cues tried per clause (``CueIndex.candidates``,
by per-word tables of first words and of the words a cue needs), the dateline rule tried
only on lines holding a dash (``TextRule.cut`` by ``needed``); and per-process
memos of what depends on a sentence's or line's text alone (``text.Memo``). Each is checked here against the path without it: literal sets against
every match on real text, and whole extractions, with all shortcuts off, over the
labelled sets, the seeds and part of the benchmark mix.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.news_mix import meeting_stories, mix_articles
from consumers.evaluation import load_articles
from consumers.extraction import annotators, dates, extract_events, lexicons, names
from consumers.extraction import text as text_module
from consumers.extraction.document import _article_gates, language_of
from consumers.extraction import lexicon as lexicon_module
from consumers.extraction.lexicon import NOT_EVENT, Gate, TextRule, WordTable, gazetteer, lower, required_literals, word_pieces
from consumers.extraction.text import _junk_rules, set_memos, split_article
from schemas import Article
from tests.seedfiles import read_seeds

DATA = Path(__file__).resolve().parents[1] / "data"


def _articles() -> list[Article]:
    sets = [read_seeds(), load_articles(DATA / "devset" / "articles.jsonl"), load_articles(DATA / "realnews" / "dev" / "articles.jsonl")]
    sets.append(mix_articles(250, meeting_stories(random.Random(9), 200)))
    return [a for articles in sets for a in articles]


ARTICLES = _articles()


def _lines() -> list[str]:
    return [line.strip() for a in ARTICLES for line in lower(a.text).splitlines() if line.strip()]


def _rule_sources() -> list[str]:
    """The lexicons' line and clause rules and the gazetteer's name patterns."""
    out: list[str] = []
    for lex in lexicons().values():
        for rule in (lex.junk_block, lex.junk_line, lex.anaphors):
            out += rule.parts
        out += [lex.event_anaphors.pattern, lex.in_passing.pattern, lex.background.pattern, lex.floated.pattern]
        out += [rx.pattern for rx in lex.type_words.values()]
    gaz = gazetteer()
    out += [rx.pattern for rx, _ in gaz.people[:40]] + [rx.pattern for rx, _, _ in gaz.places[:40]]
    return out


@pytest.mark.parametrize(
    ("source", "needed"),
    [
        (r"\bfoto:\s*[^.!?]{1,60}$", {"foto:"}),
        (r"\((?:imago|dpa|afp)[^)]*\)", {"(imago", "(dpa", "(afp"}),
        (r"(?:read more|continue reading)\s*(?:\.\.\.|…)?\s*$", {"read more", "continue reading"}),
        (r"ab[cd]e", {"abce", "abde"}),
        (r"^\s*(?:©|@\s)", {"©", "@"}),
        (r"x?y*", None),  # nothing every match must hold
        (r"x(?i:abc)", None),  # case-insensitive: no literal to test with ``in``
        (r"(?i)abc", None),
    ],
)
def test_required_literals_of_patterns(source: str, needed: set[str] | None):
    assert required_literals(source) == (None if needed is None else frozenset(needed))


def test_every_match_on_real_text_holds_a_required_literal_and_its_word_piece():
    lines = _lines()
    checked = 0
    for source in _rule_sources():
        need, pieces = required_literals(source), word_pieces(source)
        if need is None:
            continue
        rx = re.compile(source)
        for line in lines:
            for match in rx.finditer(line):
                checked += 1
                assert any(lit in match.group(0) for lit in need), (source, match.group(0))
                assert pieces is None or any(piece in word for piece in pieces for word in line.split()), (source, line)
    assert checked > 500  # the patterns do match the text: the test checks something


_CHARS = st.sampled_from(["(", ")", "dpa", "foto", ":", " ", "\u2028", "x", "read", "more", "…", ".", "+++", "weiterlesen", "\n", "bild"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=30).map("".join))
def test_a_rule_within_a_text_finds_in_its_lines_what_the_whole_rule_finds(text: str):
    for rule in _junk_rules(tuple(lexicons().values())):
        narrowed = rule.within(text)
        for line in [text, *text.splitlines()]:
            full, fast = rule.search(line), narrowed.search(line)
            assert (full and full.span()) == (fast and fast.span())


def test_junk_rules_within_real_articles_find_what_the_whole_rules_find():
    rules = _junk_rules(tuple(lexicons().values()))
    for a in ARTICLES:
        low = lower(a.text)
        for rule in rules:
            narrowed = rule.within(low, set(low.split()))
            for line in low.splitlines():
                full, fast = rule.search(line.strip()), narrowed.search(line.strip())
                assert (full and full.span()) == (fast and fast.span())


def test_gazetteer_gates_never_skip_a_clause_that_names_someone():
    gaz = gazetteer()
    named = 0
    for a in ARTICLES:
        sents, _ = split_article(a.title, a.text, list(lexicons().values()))
        for s in sents:
            for cased, low in zip(s.cased, s.norm, strict=True):
                for text, finder, gate in ((low, gaz.any_lower, gaz.lower_gate), (cased, gaz.any_cased, gaz.cased_gate), (cased, gaz.any_place, gaz.place_gate)):
                    assert gate is not None
                    if finder.search(text):
                        named += 1
                        assert gate.holds_any(text), (text, finder.search(text).group(0))
    assert named > 100


def test_one_lookup_per_word_answers_the_three_gazetteer_gates():
    """``annotators.gazetteer_gates`` (one split of the cased clause) against each gate's
    ``holds_any`` on the clause it guards (the people gate on the lower-case clause)."""
    gaz = gazetteer()
    passed = [0, 0, 0]
    for a in ARTICLES:
        for s in split_article(a.title, a.text, list(lexicons().values()))[0]:
            for cased, low in zip(s.cased, s.norm, strict=True):
                assert low == cased.lower()
                bits = annotators.gazetteer_gates(gaz, cased)
                expected = (gaz.lower_gate.holds_any(low), gaz.cased_gate.holds_any(cased), gaz.place_gate.holds_any(cased))
                assert (bool(bits & 1), bool(bits & 2), bool(bits & 4)) == expected, cased
                passed = [n + e for n, e in zip(passed, expected, strict=True)]
    assert min(passed) > 100  # each gate passes clauses: the comparison means something


def test_gazetteer_gates_remembered_are_those_of_the_gates_in_place(monkeypatch: pytest.MonkeyPatch):
    """Words and clauses seen while the gates were off are not remembered as passing
    none of them once they are back (the test of every shortcut switches them off)."""
    gaz = gazetteer()
    clause = "Die Kanzlerin Angela Merkel traf Emmanuel Macron in Paris"
    expected = tuple(gate.holds_any(text) for gate, text in ((gaz.lower_gate, clause.lower()), (gaz.cased_gate, clause), (gaz.place_gate, clause)))
    assert expected[0] and expected[2]
    set_memos(True)
    gaz.gates_by_word.clear()  # the clause's words new to the tables
    with monkeypatch.context() as patched:
        for gate in ("lower_gate", "cased_gate", "place_gate"):
            patched.setattr(gaz, gate, None)
        assert annotators.gazetteer_gates(gaz, clause) == 7  # no gate: every clause searched
    bits = annotators.gazetteer_gates(gaz, clause)
    assert (bool(bits & 1), bool(bits & 2), bool(bits & 4)) == expected


def test_lower_casing_keeps_white_space_where_it_is():
    """What ``gazetteer_gates`` relies on: a text's lower-case words are its words lower-cased."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert char.isspace() == any(c.isspace() for c in char.lower()), hex(code)
        assert not char.isspace() or char.lower() == char, hex(code)


def test_sides_remembered_per_clause_are_those_of_each_languages_rules():
    seen = 0
    for c in [c for a in ARTICLES[:200] for s in split_article(a.title, a.text, list(lexicons().values()))[0] for c in s.cased]:
        for lex in lexicons().values():
            assert names.side_spans(lex.names, c) == tuple(lex.names.side_spans(c)), c
            seen += bool(names.side_spans(lex.names, c))
    assert seen > 10


def test_a_gates_literals_held_come_in_the_gates_order():
    """``Gate.in_order`` (the held literals sorted by their place) against the filter of
    every literal, on the language gates with random subsets and on a gate that lists a
    literal twice."""
    rng = random.Random(13)
    gates = [lex.gate for lex in lexicons().values()] + [Gate(("wahl", "gipfel", "treffen")), Gate(("treffen", "gipfel", "treffen", "wahl")), Gate(())]
    for gate in gates:
        for _ in range(200):
            held = set(rng.sample(gate.literals, rng.randint(0, min(6, len(gate.literals))))) | {"nirgends"}
            assert gate.in_order(held) == tuple(lit for lit in gate.literals if lit in held)


def _clauses() -> list[str]:
    return [c for a in ARTICLES for s in split_article(a.title, a.text, list(lexicons().values()))[0] for c in s.norm]


def test_the_event_word_gate_never_skips_a_clause_with_an_event_word():
    typed = 0
    for c in _clauses():
        for lex in lexicons().values():
            found = [m.group(0) for name, rx in lex.type_words.items() if name != "_not_event" and (m := rx.search(c))]
            if found:
                typed += 1
                assert lex.gate.may_hold(c), (c, found)
    assert typed > 1000


def test_cue_candidates_from_the_word_table_are_those_of_the_prefix_tests():
    """The candidates are those of a prefix test of each token and a substring test of
    each word a cue needs; of the cues always tried, only those whose pattern cannot
    match the clause are left out (``CueIndex.raw_labels``)."""
    with_cues = skipped = 0
    for c in _clauses():
        for lex in lexicons().values():
            index = lex.cue_index
            tokens = set(re.findall(r"[\w-]+", c))
            picked = set(index.always) | {i for t in tokens for i in index.exact.get(t, ())}
            picked |= {i for t in tokens for prefix, ids in index.prefixed.items() if t.startswith(prefix) for i in ids}
            first = [index.cues[i] for i in sorted(picked)]
            assert index.candidates(c, first_word_only=True) == first
            full = [cue for cue in first if all(lit in c for lit in index.needs[index.cues.index(cue)])]
            got = index.candidates(c)
            assert got == [cue for cue in full if cue in got]  # in lexicon order
            for cue in full:
                if cue not in got:  # a cue always tried, whose required strings the clause lacks
                    assert cue.regex.search(c) is None, (c, cue.spec)
                    skipped += 1
            with_cues += bool(first)
    assert with_cues > 1000
    assert skipped > 1000  # the raw cues' strings do skip patterns


def test_the_word_tables_find_the_literals_a_substring_search_finds():
    """``WordTable.held`` against ``lit in text`` for every literal: the kinds whose
    gate admits a clause, the words of cues a clause holds and the pieces of the raw
    cues' required strings."""
    kinds_held = needs_held = 0
    for c in _clauses():
        for lex in lexicons().values():
            expected = frozenset(name for name, gate in lex.type_gates.items() if any(lit in c for lit in gate.literals))
            assert lex.kind_words.held(c) == expected, c
            table = lex.cue_index.words
            assert table is not None
            found = table.held(c)
            assert found == frozenset(label for lit, labels in table.by_literal.items() if lit in c for label in labels), c
            kinds_held += bool(expected)
            needs_held += bool(found)
    assert kinds_held > 1000 and needs_held > 1000


def _event_words_by_gates(lex, s, kinds):
    """``annotators.event_words`` with every kind's gate tested by substring search (and
    the events named by their acronym, found apart from the gates)."""
    clauses = [(ci, c) for ci, c in enumerate(s.norm) if lex.gate.may_hold(c)]
    names = lex.type_words if kinds is None else kinds
    hits = annotators._acronyms(lex, s, kinds) + [annotators.TypeHit(ci, m.start(), m.end(), name) for name in names for ci, c in clauses if lex.type_gates[name].admits(c) for m in lex.type_words[name].finditer(c)]
    return annotators.words_of_hits(lex, s, hits)


def test_the_opening_words_looked_up_once_serve_every_kinds_raw_regex():
    """``event_words`` looks a clause's opening words of raw regexes up once
    (``annotators._openings``) and searches each kind's raw regex with them."""
    matched = set()
    for c in _clauses():
        for lex in lexicons().values():
            opened = annotators._openings(lex).found(c)
            for name, gate in [*lex.type_gates.items(), ("gate", lex.gate)]:
                if gate.raw is not None:
                    full, fast = gate.raw.search(c), gate.raw.search_held(c, opened)
                    assert (full and full.span()) == (fast and fast.span()), (name, c)
                    if full:
                        matched.add((lex.language, name))
    assert ("en", NOT_EVENT) in matched and ("de", "match") in matched


def test_event_words_by_the_word_table_are_those_of_the_gates():
    typed = 0
    for a in ARTICLES:
        for s in split_article(a.title, a.text, list(lexicons().values()))[0]:
            for lex in lexicons().values():
                for kinds in (None, tuple(k for k in lex.type_words if k != NOT_EVENT)[::2]):
                    found = annotators.event_words(lex, s, kinds)
                    assert found == _event_words_by_gates(lex, s, kinds), s.text
                    typed += bool(found)
    assert typed > 1000


def test_the_dateline_rule_is_tried_only_where_a_match_can_be():
    """Lines without any of the strings a dateline needs are returned untouched, and
    every line is cut as the rule without that test cuts it."""
    lines = [line.strip() for a in ARTICLES for line in a.text.splitlines() if line.strip()]
    cut = 0
    for lex in lexicons().values():
        assert lexicon_module.needed(lex.dateline.parts), "the dateline rule has literals to test"
        for line in lines:
            match = lex.dateline.search(line)
            whole = line if match is None else line[: match.start()] + line[match.end() :]
            assert lex.dateline.cut(line) == whole, line
            cut += whole != line
    assert cut > 20


@given(st.text(alphabet="AB -–—.()/,:ab\n", max_size=60))
def test_the_dateline_gate_keeps_every_cut_of_generated_lines(line: str):
    for lex in lexicons().values():
        match = lex.dateline.search(line)
        assert lex.dateline.cut(line) == (line if match is None else line[: match.start()] + line[match.end() :])


def _clause_contexts() -> list[tuple[str, str, int, str]]:
    """Every clause of the articles (cased, lower case, index, the clause before)."""
    sentences = [s for a in ARTICLES for s in split_article(a.title, a.text, list(lexicons().values()))[0]]
    return [(cased, low, ci, s.norm[ci - 1] if ci else "") for s in sentences for ci, (cased, low) in enumerate(zip(s.cased, s.norm, strict=True))]


def test_an_untitled_german_common_noun_is_rejected_as_the_full_rules_reject_it(monkeypatch: pytest.MonkeyPatch):
    lex = lexicons()["de"]
    clauses = _clause_contexts()
    shortcut = names._untitled_common_de
    taken: list[str] = []
    monkeypatch.setattr(names, "_untitled_common_de", lambda rules, low, start, word: shortcut(rules, low, start, word) and not taken.append(word))
    fast = [names.open_names(lex, cased, low, [], [], first_clause=ci == 0, before=before) for cased, low, ci, before in clauses]
    assert len(taken) > 5000  # the shortcut decides most runs: the comparison means something
    monkeypatch.setattr(names, "_untitled_common_de", lambda rules, low, start, word: False)
    assert [names.open_names(lex, cased, low, [], [], first_clause=ci == 0, before=before) for cased, low, ci, before in clauses] == fast


def _full_untitled_common_de(rules, low: str, start: int, word: str) -> bool:
    """``names._untitled_common_de`` with every test asked per occurrence."""
    if "-" in word or word.lower() in rules.bare_titles or names._ACRONYM.match(word) or names._title_before(rules, low, start)[0] != "name":
        return False
    if names._rejected_word(rules, word) or names._rejected_after(rules, low, start):
        return True
    return names._common_word_de(rules, word) and not names._by_event_de(rules, low, start)


def test_a_german_runs_word_tests_answered_once_per_word_are_those_asked_each_time():
    rules = lexicons()["de"].names
    runs = [(low, m.start(), m.group(0)) for cased, low, _, _ in _clause_contexts() for m in names.RUN.finditer(cased) if m.group(0).isalpha()]
    answers = [_full_untitled_common_de(rules, low, start, word) for low, start, word in runs]
    assert 1000 < sum(answers) < len(answers)  # both answers, many times: the comparison means something
    for _ in range(2):  # the words' answers worked out, then remembered
        assert [names._untitled_common_de(rules, low, start, word) for low, start, word in runs] == answers


def test_one_pass_over_an_articles_words_answers_each_of_its_gates():
    junk = _junk_rules(tuple(lexicons().values()))
    narrowed = 0
    for a in ARTICLES:
        lex = language_of(a)
        low = lower(a.text)
        everything = low + "\n" + lower(a.title or "")
        held, raw_held, anaphors, *pieces = _article_gates(lex).found(everything)
        assert held == set(lex.gate.found(everything))
        assert raw_held == set(lex.gate.raw.opening.found(everything))
        assert lex.gate.narrowed(held, everything, raw_held) == lex.gate.within(everything)
        assert bool(anaphors) == lex.event_anaphor_gate.holds_any(everything)
        union = set().union(*pieces)
        for rule in junk:
            assert rule.keeping(union) == rule.within(everything)  # the title's words too, as before
            narrowed += rule.keeping(union) != rule
    assert narrowed > 100  # rules are narrowed: the comparison means something


def test_sides_are_searched_only_where_a_pair_can_be_named():
    searched = skipped = 0
    for cased, _, _, _ in _clause_contexts():
        for lex in lexicons().values():
            full = [m.span() for m in lex.names.sides.finditer(cased)]
            assert lex.names.side_spans(cased) == full
            needs = lexicon_module.needed((lex.names.sides.pattern,))
            assert needs, lex.language  # the pattern's strings are known: the test below is taken
            searched += bool(full)
            skipped += not any(n in cased for n in needs)
    assert searched > 10 and skipped > 1000


def test_sentence_and_clause_boundaries_are_those_of_one_test_per_word():
    one_per_word = re.compile(r"[.!?…]" + "".join(rf"(?<!\b{w}\.)" for w in text_module._NO_SPLIT_AFTER) + r"[»“”\"')]*\s+(?=[\"„“‘«»(]?[A-ZÄÖÜ0-9])")
    clause_per_branch = re.compile(r",(?!\d)|;|:\s|\s[-–—]\s|\s\(|\)\s")
    paragraphs = [p for a in ARTICLES for p, _ in text_module.clean_lines(a.text, list(lexicons().values()))]
    ends = [[m.span() for m in one_per_word.finditer(p)] for p in paragraphs]
    assert sum(map(len, ends)) > 5000
    assert [[m.span() for m in text_module._BOUNDARY.finditer(p)] for p in paragraphs] == ends
    assert [text_module._CLAUSE.split(p) for p in paragraphs] == [clause_per_branch.split(p) for p in paragraphs]
    assert not text_module._BOUNDARY.search("am 15. Aug. Dann Dr. Witkoff, z.B. Prof. X") and text_module._BOUNDARY.search("Er kam. Dann ging er.")


def test_a_title_is_searched_only_where_one_can_end_before_a_name():
    found = skipped = 0
    for cased, low, _, _ in _clause_contexts():
        for lex in lexicons().values():
            rules = lex.names
            for end in {m.start() for m in names.RUN.finditer(cased)}:  # where a name may start
                window = low[max(0, end - 40) : end]
                if rules.title_before.search(window):
                    found += 1
                    assert rules.title_may_end(window), (lex.language, window)
                else:
                    skipped += not rules.title_may_end(window)
    assert found > 200 and skipped > 10_000


def _mentions(articles: list[Article]) -> list[list[dict]]:
    return [[m.model_dump(mode="json") for m in extract_events(a)] for a in articles]


def test_extraction_with_every_shortcut_is_the_extraction_without_any(monkeypatch: pytest.MonkeyPatch):
    fast = _mentions(ARTICLES)
    again = _mentions(ARTICLES[::-1])[::-1]  # memos filled by other articles first
    assert sum(map(bool, fast)) > 100  # events are found: the comparison means something
    gaz = gazetteer()
    frozen = [(lex, "event_anaphor_gate") for lex in lexicons().values()] + [(lex.names, "title_gate") for lex in lexicons().values() if lex.names]
    kept = [getattr(obj, name) for obj, name in frozen]
    remembered = [(lex.cue_index, lex.cue_index.by_word) for lex in lexicons().values()]
    try:
        set_memos(False)
        monkeypatch.setattr(TextRule, "within", lambda self, text, words=None: self)
        monkeypatch.setattr(TextRule, "keeping", lambda self, held: self)
        every_label = lambda self, text: frozenset(k for names in self.by_literal.values() for k in names)  # noqa: E731
        monkeypatch.setattr(WordTable, "held", every_label)  # every clause searched for every kind's words
        monkeypatch.setattr(WordTable, "of_word", every_label)  # every cue whose first word is there tried, and every raw cue
        for lex in lexicons().values():
            object.__setattr__(lex.cue_index, "by_word", {})  # no words remembered with their labels
        monkeypatch.setattr(lexicon_module, "needed", lambda parts: None)  # the dateline tried on every line
        monkeypatch.setattr(names, "_untitled_common_de", lambda rules, low, start, word: False)  # every run of capitals through every name rule
        monkeypatch.setattr(dates, "_DIGIT", re.compile(""))  # every clause searched for a day and month
        monkeypatch.setattr(lexicon_module.NameRules, "title_may_end", lambda self, window: True)  # every window searched for a title
        for gate in ("lower_gate", "cased_gate", "place_gate"):
            monkeypatch.setattr(gaz, gate, None)
        for obj, name in frozen:
            object.__setattr__(obj, name, None)  # frozen dataclasses: the gates off
        slow = _mentions(ARTICLES)
    finally:
        set_memos(True)
        for (obj, name), value in zip(frozen, kept, strict=True):
            object.__setattr__(obj, name, value)
        for index, table in remembered:
            object.__setattr__(index, "by_word", table)
    assert fast == slow
    assert again == slow


@pytest.mark.parametrize(
    "text",
    [
        "arsenal beat chelsea 2-1 on sunday",
        "xbeat chelsea 2-1",  # no word boundary before the verb
        "won't beat them 2-1",
        '("beat them 2-1',  # punctuation before the verb
        "the mwc was cancelled",
        "the amwc was cancelled",
        "cop26 and cop 27",
        "acop26",
        "man utd v liverpool",
        "marathon talks",
        "the marathon was run",
        "euro 2024 final",
        "neuro 2024",
        "schalke verlor am freitag 0:2",
        "verlor um 20:30 uhr",
        "verabschiedung des gesetzes",
        "",
    ],
)
def test_the_raw_gate_searched_regex_by_regex_finds_what_the_whole_alternation_finds(text: str):
    for lex in lexicons().values():
        whole = re.compile(lex.gate.raw.pattern)
        assert bool(lex.gate.raw.search(text)) == bool(whole.search(text)) == bool(lex.gate.raw.search(text, set(text.split()))), (lex.language, text)


def test_the_raw_gate_on_real_text_finds_what_the_whole_alternation_finds():
    for lex in lexicons().values():
        whole = re.compile(lex.gate.raw.pattern)
        for line in _lines():
            assert bool(lex.gate.raw.search(line, set(line.split()))) == bool(whole.search(line)), (lex.language, line)


def test_an_article_no_raw_regex_matches_tries_no_kind_for_its_raw_words_alone():
    lex = lexicons()["en"]
    quiet = lex.gate.within("the board met to discuss the plan", set("the board met to discuss the plan".split()))
    assert quiet is not None and quiet.raw is None and "match" not in lex.kinds_in(quiet)
    result = lex.gate.within("arsenal beat chelsea 2-1 on sunday", set("arsenal beat chelsea 2-1 on sunday".split()))
    assert result is not None and "match" in lex.kinds_in(result)
