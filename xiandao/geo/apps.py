from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "xiandao.geo"
    verbose_name = "行政区划与园区"
