"""Dead letters: what an operator sees and re-injects (``storywatch dlq list|show|replay``).

A stage dead-letters an entry after ``max_deliveries`` failed deliveries: the original
fields, the error, the stage and the delivery count go to ``<input stream>.dlq`` and
the article gets a ``dead_lettered`` outcome. After the cause is fixed, ``replay`` puts
the original fields back onto the stage's input stream (marked ``replay_of`` the
original entry, so deduplication treats it as a re-delivery, not as a copy), removes the
dead letter and takes the article out of the ``dead_lettered`` count again, all in one
transaction: the article is in flight once more and ends with a new outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from consumers.stage_runtime import OUTCOME_COUNTS, REPLAY_FIELD, claimed_id
from schemas import DeadLetter, OutcomeKind
from schemas.streams import DATA_FIELD, KEY_PREFIX, STAGE_INPUT, dlq_stream

REPLAYS = f"{KEY_PREFIX}:stats:replays"
"""Hash: input stream -> entries re-injected from its dead letters (for the in-flight count)."""


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
        return list(STAGE_INPUT)
    if stage not in STAGE_INPUT:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGE_INPUT)}")
    return [stage]


def dlq_of(stage: str) -> str:
    return dlq_stream(STAGE_INPUT[stage][0])


async def list_letters(redis: Redis, stage: str, limit: int = 100) -> list[Letter]:
    """The oldest ``limit`` dead letters of a stage."""
    reply = await redis.xrange(dlq_of(stage), count=limit)
    return [Letter(i.decode(), DeadLetter.model_validate_json(f[DATA_FIELD.encode()])) for i, f in reply]


async def find_letter(redis: Redis, letter_id: str, stage: str | None = None) -> tuple[str, Letter] | None:
    """(stage, letter) of the dead letter with this id, looked up in every stage's stream."""
    for name in stage_names(stage):
        reply = await redis.xrange(dlq_of(name), min=letter_id, max=letter_id)
        if reply:
            ident, fields = reply[0]
            return name, Letter(ident.decode(), DeadLetter.model_validate_json(fields[DATA_FIELD.encode()]))
    return None


async def replay(redis: Redis, stage: str, letter: Letter) -> str:
    """Re-inject a dead letter's original entry; returns the new entry id.

    One MULTI/EXEC under WATCH of the dead-letter stream: the entry goes back onto the
    input stream, the dead letter is deleted and the ``dead_lettered`` count goes down,
    so a replay is never half done, never done twice, and the accounting adds up.
    """
    stream = STAGE_INPUT[stage][0]
    fields = dict(letter.letter.fields)
    fields.setdefault(REPLAY_FIELD, letter.letter.entry_id)
    if DATA_FIELD not in fields:
        raise ValueError(f"dead letter {letter.id} has no {DATA_FIELD} field: the entry was deleted before it was processed; nothing to replay")
    dlq = dlq_of(stage)
    async with redis.pipeline(transaction=True) as pipe:
        await pipe.watch(dlq)
        if not await pipe.xrange(dlq, min=letter.id, max=letter.id):
            raise ValueError(f"dead letter {letter.id} is gone (replayed or removed already)")
        pipe.multi()
        pipe.xadd(stream, fields)
        pipe.xdel(dlq, letter.id)
        pipe.hincrby(OUTCOME_COUNTS, OutcomeKind.DEAD_LETTERED.value, -1)
        pipe.hincrby(REPLAYS, stream, 1)
        new_id, *_ = await pipe.execute()
    return new_id.decode() if isinstance(new_id, bytes) else str(new_id)


def describe(stage: str, item: Letter) -> str:
    """One line for ``dlq list``."""
    error = item.letter.error.replace("\n", " ")
    error = error if len(error) <= 100 else error[:97] + "..."
    return f"{item.id}  {stage:<8} {item.article_id:<32} deliveries={item.letter.deliveries}  {error}"
