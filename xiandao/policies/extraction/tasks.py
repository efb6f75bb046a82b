from .model import TaskProposal
def extract_tasks(text: str, norm: str | None = None) -> tuple[TaskProposal, ...]:
    return ()
