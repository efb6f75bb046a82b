"""Foreign objects of the core app for the authorization matrix."""

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.core.models import Job


@provider("job_id")
def foreign_job(world: ForeignWorld) -> ForeignObject:
    job = Job.objects.create(
        kind="core.demo_count",
        title="演示任务：逐项核对",
        created_by=world.user,
        message=f"{world.marker}进度",
    )
    return ForeignObject(str(job.pk), (str(job.pk), f"{world.marker}进度"))
