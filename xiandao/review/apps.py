from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "xiandao.review"
    verbose_name = "咨询委员会论证"
