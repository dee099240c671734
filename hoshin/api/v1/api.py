"""The API object of version 1: public reads, staff writes, schema at /api/v1/openapi.json."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from hoshin.api.errors import install_error_handlers
from hoshin.api.v1 import datasets, public, staff


class Renderer(JSONRenderer):
    # Japanese stays readable in the body (and is shorter than \\uXXXX escapes).
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title=str(_("行政経営 公開API")),
    version="1",
    description=str(
        _(
            "市の計画・取組・担当課と公表済みの評価結果を JSON で提供します。"
            "公開データの読み取りは認証不要です。職員用の操作には APIトークン"
            "（Authorization: Bearer <トークン>）が必要です。"
        )
    ),
    urls_namespace="api:api-v1",
    # /api/docs is our own server-rendered page (no JavaScript, accessible), see views_docs.
    docs_url=None,
    openapi_url="/openapi.json",
    renderer=Renderer(),
)
install_error_handlers(api)
api.add_router("", datasets.router)
api.add_router("", public.router)
api.add_router("/staff", staff.router)
