import pytest

from xiandao.core.models import Job


@pytest.mark.django_db
def test_demo_job_page_shows_the_progress_bar_at_the_end(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    response = client.post("/jobs/demo/", follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "演示任务：逐项核对" in page
    assert 'aria-valuenow="100"' in page and "已完成" in page
    job = Job.objects.get(created_by=hefei_city_officer)
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # a finished job stops polling


@pytest.mark.django_db
def test_a_running_job_fragment_keeps_polling(client, hefei_city_officer):
    job = Job.objects.create(
        kind="core.demo_count",
        title="演示",
        created_by=hefei_city_officer,
        status="running",
        done=3,
        total=10,
    )
    client.force_login(hefei_city_officer)
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 700ms"' in fragment
    assert 'aria-valuenow="30"' in fragment


@pytest.mark.django_db
def test_someone_elses_job_is_not_found(client, hefei_city_officer, province_admin):
    job = Job.objects.create(kind="core.demo_count", title="演示", created_by=province_admin)
    client.force_login(hefei_city_officer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404
