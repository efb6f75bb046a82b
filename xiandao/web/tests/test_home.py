import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiandao.accounts.demo import PERSONAS


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_each_persona_lands_on_a_home_page_with_organisation_and_scope(client, personas, persona):
    client.force_login(personas[persona.key])
    page = client.get("/").content.decode()
    assert "我的工作台" in page
    assert persona.organisation.name in page
    role_label = {
        "programme_admin": "计划管理员",
        "city_officer": "市级管理员",
        "zone_operator": "先导区运营人员",
        "expert": "咨询委员会专家",
        "evaluator": "第三方评估人员",
        "department_officer": "省直部门人员",
        "system_admin": "系统管理员",
        "security_admin": "安全管理员",
        "audit_admin": "审计管理员",
        "observer": "国家部委观察员",
    }[persona.role]
    assert role_label in page
    assert "范围：" in page


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_jobs(client, hefei_city_officer):
    from xiandao.core.tests.factories import JobFactory

    client.force_login(hefei_city_officer)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    JobFactory.create_batch(30, created_by=hefei_city_officer)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_demo_ribbon_shows_while_demo_data_is_loaded_and_goes_with_it(client, reference_data):
    from xiandao.accounts.models import User
    from xiandao.web.demo import demo_data_load, demo_data_remove

    demo_data_load()
    client.force_login(User.objects.get(username="hf_officer"))
    assert "demo-ribbon" in client.get("/").content.decode()
    demo_data_remove()
    assert not User.objects.filter(username="hf_officer").exists()
    assert "demo-ribbon" not in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
