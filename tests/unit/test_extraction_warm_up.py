"""A worker extracts the shipped warm-up articles before it reads, so that a fresh
process's first articles do not pay for compiling extraction's patterns."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import yaml

from consumers.extraction import WARM_UP, extract_events, language_of, lexicons, warm_up
from schemas import Article

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_language_has_a_warm_up_article():
    languages = {spec["language"] for spec in yaml.safe_load(WARM_UP.read_text(encoding="utf-8"))["articles"]}
    assert languages == set(lexicons())


def test_each_warm_up_article_reaches_the_rules_of_its_language(tmp_path):
    """An article that names no event would compile little beyond the gate: each one must
    be read in its own language and give several events of several kinds."""
    articles = yaml.safe_load(WARM_UP.read_text(encoding="utf-8"))["articles"]
    for n, spec in enumerate(articles):
        article = Article(id=f"w{n}", source="test", published_at=datetime(2025, 3, 10, 9, tzinfo=UTC), **spec)
        assert language_of(article).language == spec["language"]
        events = extract_events(article)
        assert len(events) >= 5 and len({e.type for e in events}) >= 4 and len({e.status for e in events}) >= 3, spec["title"]
    assert warm_up() == len(articles)
    one = tmp_path / "one.yaml"
    one.write_text(yaml.safe_dump({"articles": articles[:1]}), encoding="utf-8")
    assert warm_up(one) == 1


_COUNT_COMPILES = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime
    import re._compiler as compiler
    from consumers.extraction import extract, warm_up
    from schemas import Article

    calls = [0]
    compile_ = compiler.compile
    def counted(*args, **kwargs):
        calls[0] += 1
        return compile_(*args, **kwargs)
    compiler.compile = counted

    if sys.argv[1] == "warm":
        warm_up()
    calls[0] = 0
    for n, text in enumerate(json.loads(sys.argv[2])):
        extract(Article(id=f"a{n}", source="test", published_at=datetime(2025, 10, 16, tzinfo=UTC), **text))
    print(calls[0])
    """
)

_ARTICLES = [
    {"language": "de", "title": "Treffen in Wien abgesagt",
     "text": "Das für Donnerstag geplante Treffen von Außenministerin Annalena Baerbock und ihrem russischen Amtskollegen Sergej Lawrow in Wien ist abgesagt worden. Das teilte das Auswärtige Amt am Montag mit."},
    {"language": "en", "title": "Final postponed",
     "text": "The cup final between Chelsea and Manchester City at Wembley was postponed on Saturday because of heavy snow, the Football Association said. It will now be played on 3 May."},
]


def _compiles_while_extracting(state: str) -> int:
    import json

    done = subprocess.run([sys.executable, "-c", _COUNT_COMPILES, state, json.dumps(_ARTICLES)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return int(done.stdout.split()[-1])


def test_after_the_warm_up_extraction_compiles_few_patterns():
    cold, warm = _compiles_while_extracting("cold"), _compiles_while_extracting("warm")
    assert cold >= 10
    assert warm <= cold // 5
