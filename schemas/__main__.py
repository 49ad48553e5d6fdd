"""Write the JSON Schema of every stream message: ``python -m schemas [DIR]``."""

import json
import sys
from pathlib import Path

import schemas

MODELS = {
    "article": schemas.Article,
    "unique_article": schemas.UniqueArticle,
    "article_events": schemas.ArticleEvents,
    "story": schemas.Story,
    "alert": schemas.Alert,
    "outcome": schemas.Outcome,
    "dead_letter": schemas.DeadLetter,
}


def main(argv: list[str]) -> None:
    """To DIR: one ``<name>.schema.json`` per message; to stdout: one JSON object, name -> schema."""
    out = Path(argv[0]) if argv else None
    if out is None:
        print(json.dumps({name: model.model_json_schema() for name, model in MODELS.items()}, indent=2, ensure_ascii=False))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, model in MODELS.items():
        (out / f"{name}.schema.json").write_text(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
