from django.urls import path

from hoshin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.security, name="security"),
    path("account/second-factor/", views.verify, name="verify"),
    path("account/second-factor/setup/", views.enrol, name="enrol"),
    path("account/second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("account/second-factor/remove/", views.remove, name="remove"),
    path("accounts/lockouts/", views.lockouts, name="lockouts"),
]
