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
    out = Path(argv[0]) if argv else None
    for name, model in MODELS.items():
        text = json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False)
        if out is None:
            print(f"// {name}\n{text}")
        else:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.schema.json").write_text(text + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
