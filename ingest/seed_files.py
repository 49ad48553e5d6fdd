"""Reader for the seed format: one article per ``.txt`` file, dated in one of several ways.

Seen in the wild (and in ``seeds/``):

* a first line starting `` date YYYY-MM-DD`` followed by the text,
* a headline block with ``DD.MM.YYYY - HH:MM:SS`` on a line of its own,
* no date at all (``published_at`` then stays empty: never invented).

The article id is the part of the file name after the first underscore
(``000_c0c7c25cd1612e28.txt`` -> ``c0c7c25cd1612e28``), else the file stem.
Every article goes through ``ingest.normalise.normalise_article``, which finds the
date, removes boilerplate and records the agency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import ValidationError

from ingest.cleantext import decode_text
from ingest.normalise import normalise_article
from schemas import Article
from schemas.errors import describe

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Larger files are refused unread: no article is that long, a dump or binary file is."""


class RecordError(ValueError):
    """A record that cannot become an Article; ``where`` names it (file, line)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def article_id_from_name(path: Path) -> str:
    stem = path.stem
    return stem.split("_", 1)[1] if "_" in stem else stem


def parse_seed_text(raw: str, article_id: str, source: str | None = None) -> Article:
    """Turn one seed-format text into a normalised Article (pure); ``ValueError`` if unusable."""
    return normalise_article(Article(id=article_id, source=source, text=raw))


def read_file_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; ``ValueError`` naming the problem when it is too large."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"file is {size} bytes, larger than the limit of {max_bytes}")
    return path.read_bytes()


def read_text_file(path: Path, parse: Callable[[str, str, str], Article]) -> Article | RecordError:
    """``parse(text, article_id, source)`` of one file's decoded text, or the reason it failed."""
    try:
        return parse(decode_text(read_file_bytes(path)), article_id_from_name(path), path.name)
    except ValidationError as exc:
        return RecordError(str(path), describe(exc))
    except (OSError, ValueError) as exc:
        return RecordError(str(path), str(exc))


def read_seed_file(path: Path) -> Article | RecordError:
    """One seed-format file as an Article, or the reason it is not one."""
    return read_text_file(path, parse_seed_text)


def read_seed_dir(directory: Path) -> Iterator[Article | RecordError]:
    """Yield every ``*.txt`` article of a directory in name order; bad files as errors."""
    for path in sorted(directory.glob("*.txt")):
        yield read_seed_file(path)


