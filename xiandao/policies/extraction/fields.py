from .model import FieldProposal
def extract_fields(text: str, norm: str | None = None) -> tuple[FieldProposal, ...]:
    return ()
