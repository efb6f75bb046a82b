"""403, 404 and 500 pages: Chinese, in the site's layout, with a way back (DEBUG is off in tests)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

import config.urls as _project


def _is_site_page(html: str) -> bool:
    return 'class="xd-header' in html and 'lang="zh-Hans"' in html


@pytest.mark.django_db
def test_404_is_chinese_in_the_layout_with_a_way_back(client, settings):
    assert settings.DEBUG is False
    response = client.get("/programmes/no-such-programme/", HTTP_REFERER="http://testserver/programmes/")
    html = response.content.decode()
    assert response.status_code == 404
    assert _is_site_page(html) and "页面不存在" in html
    assert "未找到该培育计划。" in html  # the refusing code's own sentence
    assert f'href="{reverse("programmes:list")}"' in html and "返回上一页" in html
    assert "Not Found" not in html


@pytest.mark.django_db
def test_404_for_a_signed_in_user_leads_back_to_the_workbench(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    html = client.get("/nowhere/").content.decode()
    assert "返回工作台" in html and f'href="{reverse("web:home")}"' in html


@pytest.mark.django_db
def test_403_names_what_the_user_lacks_and_the_roles_they_hold(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    response = client.get(reverse("policies:document_upload"))
    html = response.content.decode()
    assert response.status_code == 403
    assert _is_site_page(html) and "无权访问" in html
    assert "只有培育计划的管理员可以上传政策文件。" in html
    assert "市级管理员" in html  # the role they do hold
    assert "403 Forbidden" not in html


def boom(request):
    raise RuntimeError("developer words")


urlpatterns: list = []


@pytest.mark.django_db
def test_500_is_chinese_in_the_layout_and_shows_no_traceback():
    urlpatterns[:] = [path("boom/", boom), *_project.urlpatterns]
    with override_settings(ROOT_URLCONF=__name__):
        response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert _is_site_page(html) and "系统暂时出错" in html
    assert "developer words" not in html and "Server Error" not in html


# This module is the URLconf of the 500 test: the project's URLs plus one that fails, and the
# project's own handlers (so the test fails if config/urls.py stops wiring them).
handler403, handler404, handler500 = _project.handler403, _project.handler404, _project.handler500


@pytest.mark.django_db
def test_404_never_shows_the_url_patterns_tried(client):
    html = client.get("/不存在的页面/").content.decode()
    assert "您要找的页面不存在" in html  # the default sentence, not the resolver's dict
    assert "tried" not in html and "&#x27;path&#x27;" not in html and "'path'" not in html


@pytest.mark.django_db
def test_a_refused_form_gets_the_chinese_403_page(hefei_city_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hefei_city_officer)
    response = client.post(reverse("accounts:logout"))
    html = response.content.decode()
    assert response.status_code == 403
    assert _is_site_page(html) and "请刷新页面后重新提交" in html and "CSRF verification" not in html
    assert "您当前的角色" not in html
