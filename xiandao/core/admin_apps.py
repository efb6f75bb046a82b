"""The admin app with the platform's own site (`xiandao.core.admin_site.XiandaoAdminSite`)."""

from django.contrib.admin.apps import AdminConfig


class XiandaoAdminConfig(AdminConfig):
    default_site = "xiandao.core.admin_site.XiandaoAdminSite"
