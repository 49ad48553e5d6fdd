"""Dead letters: what an operator sees and re-injects (``storywatch dlq list|show|replay``).

A stage dead-letters an entry after ``max_deliveries`` failed deliveries: the original
fields, the error, the stage and the delivery count go to ``<input stream>.dlq`` and
the article gets a ``dead_lettered`` outcome (when its article still waited for one).
After the cause is fixed, ``replay`` puts the original body back onto the stage's input
stream (marked ``replay_of`` the original entry, and the mark recorded where only a
replay writes it, so deduplication treats it as a re-delivery, not as a copy, and no
producer can fake the mark), removes the dead letter and takes the article out of the
``dead_lettered`` count again, all in one script: the article is in flight once more
and ends with a new outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from consumers.stage_runtime import REPLAY_FIELD, claimed_id
from consumers.stages import STAGE_NAMES, stage as stage_spec
from schemas import DeadLetter, OutcomeKind
from schemas.partitions import SINGLE, Partitioning
from schemas.streams import DATA_FIELD, OUTCOME_COUNTS, REPLAYS, replay_marks_key


@dataclass(frozen=True)
class Letter:
    """One dead letter with the id it has on its dead-letter stream."""

    id: str
    letter: DeadLetter

    @property
    def article_id(self) -> str:
        body = self.letter.fields.get(DATA_FIELD)
        return (claimed_id(body.encode()) if isinstance(body, str) else None) or f"entry:{self.letter.entry_id}"


def stage_names(stage: str | None) -> list[str]:
    """The stages a command looks at: one, or all of them."""
    if stage is None:
        return list(STAGE_NAMES)
    return [stage_spec(stage).name]


def dlq_of(stage: str) -> str:
    return stage_spec(stage).dlq


def input_of(stage: str) -> str:
    return stage_spec(stage).input


async def count_letters(redis: Redis, stage: str, partitioning: Partitioning = SINGLE) -> int:
    """Dead letters of a stage, in every partition."""
    return sum([int(await redis.xlen(key)) for key in partitioning.keys(dlq_of(stage))])


async def list_letters(redis: Redis, stage: str, limit: int = 100, partitioning: Partitioning = SINGLE) -> list[Letter]:
    """The oldest ``limit`` dead letters of a stage (of every partition)."""
    letters = [
        Letter(i.decode(), DeadLetter.model_validate_json(f[DATA_FIELD.encode()]))
        for key in partitioning.keys(dlq_of(stage)) for i, f in await redis.xrange(key, count=limit)
    ]
    return sorted(letters, key=lambda item: tuple(int(n) for n in item.id.split("-")))[:limit]


async def find_letter(redis: Redis, letter_id: str, stage: str | None = None, partitioning: Partitioning = SINGLE) -> tuple[str, Letter] | None:
    """(stage, letter) of the dead letter with this id, looked up in every stage's stream
    (in every partition: ids are per stream, the first found is taken)."""
    for name in stage_names(stage):
        for key in partitioning.keys(dlq_of(name)):
            reply = await redis.xrange(key, min=letter_id, max=letter_id)
            if reply:
                ident, fields = reply[0]
                return name, Letter(ident.decode(), DeadLetter.model_validate_json(fields[DATA_FIELD.encode()]))
    return None


_REPLAY = """
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then
  return false
end
local id = redis.call('XADD', KEYS[1], '*', ARGV[2], ARGV[3], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[3], id, ARGV[5])
redis.call('XDEL', KEYS[2], ARGV[1])
if ARGV[7] == '1' then
  redis.call('HINCRBY', KEYS[4], ARGV[6], -1)
end
redis.call('HINCRBY', KEYS[5], KEYS[1], 1)
return id
"""
"""Re-inject a dead letter, if it is still there: the entry with its replay mark, the mark
recorded, the dead letter deleted, the counts adjusted; atomically."""


async def replay(redis: Redis, stage: str, letter: Letter, partitioning: Partitioning = SINGLE) -> str:
    """Re-inject a dead letter's original entry; returns the new entry id.

    One script: the entry goes back onto the input stream, its replay mark is recorded,
    the dead letter is deleted and the ``dead_lettered`` count goes down (when the letter
    gave its article that outcome), so a replay is never half done, never done twice, and
    the accounting adds up.
    """
    body = letter.letter.fields.get(DATA_FIELD)
    if not isinstance(body, str):
        raise ValueError(f"dead letter {letter.id} has no {DATA_FIELD} field: the entry was deleted before it was processed; nothing to replay")
    origin = str(letter.letter.fields.get(REPLAY_FIELD) or letter.letter.entry_id)
    source = input_of(stage)
    # back where it was dead-lettered (a global stream's stage: that stream's slot)
    p = 0 if partitioning.single or partitioning.is_global(source) else partitioning.partition_of_key(letter.letter.stream)
    keys = [partitioning.committed_with(k, source, p) for k in (source, dlq_of(stage), replay_marks_key(source), OUTCOME_COUNTS, REPLAYS)]
    counted = 1 if letter.letter.outcome else 0
    args = [letter.id, DATA_FIELD, body, REPLAY_FIELD, origin, OutcomeKind.DEAD_LETTERED.value, counted]
    new_id = await redis.eval(_REPLAY, len(keys), *keys, *args)
    if not new_id:
        raise ValueError(f"dead letter {letter.id} is gone (replayed or removed already)")
    return new_id.decode() if isinstance(new_id, bytes) else str(new_id)


def describe(stage: str, item: Letter) -> str:
    """One line for ``dlq list``."""
    error = item.letter.error.replace("\n", " ")
    error = error if len(error) <= 100 else error[:97] + "..."
    return f"{item.id}  {stage:<8} {item.article_id:<32} deliveries={item.letter.deliveries}  {error}"
