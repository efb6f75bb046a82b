from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_new, name="run_new"),
    path("create/", views.run_create, name="run_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/finalise/", views.run_finalise, name="run_finalise"),
    path("runs/<int:run_id>/notice/", views.run_notice, name="run_notice"),
    path("runs/<int:run_id>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:run_id>/entrust/", views.run_entrust, name="run_entrust"),
    path("runs/<int:run_id>/bonus.xlsx", views.run_bonus_xlsx, name="run_bonus_xlsx"),
    path("runs/<int:run_id>/objections/", views.objection_add, name="objection_add"),
    path(
        "runs/<int:run_id>/objections/<int:objection_id>/answer/",
        views.objection_answer,
        name="objection_answer",
    ),
    path("results/<int:result_id>/", views.result_detail, name="result_detail"),
    path("results/<int:result_id>/adjust/", views.grade_adjust, name="grade_adjust"),
    path("results/<int:result_id>/card.docx", views.report_card_docx, name="report_card_docx"),
    path("results/<int:result_id>/card.pdf", views.report_card_pdf, name="report_card_pdf"),
    path("consequences/<int:consequence_id>/", views.consequence_act, name="consequence_act"),
    path(
        "consequences/<int:consequence_id>/letter.docx",
        views.national_letter_docx,
        name="national_letter_docx",
    ),
    path("public/<slug:programme_code>/", views.published_grades, name="published_grades"),
]
