from pathlib import Path
class ExtractionError(Exception):
    pass
def read_document(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8")
