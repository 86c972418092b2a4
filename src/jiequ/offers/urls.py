from django.urls import path

from . import views, views_campaigns

app_name = "offers"

urlpatterns = [
    path("shops/", views.ShopListView.as_view(), name="shop_list"),
    path("shops/add/", views.ShopEditView.as_view(), name="shop_add"),
    path("shops/export/", views.ShopExportView.as_view(), name="shop_export"),
    path("shops/<int:pk>/", views.ShopDetailView.as_view(), name="shop_detail"),
    path("shops/<int:pk>/edit/", views.ShopEditView.as_view(), name="shop_edit"),
    path("shops/<int:pk>/history/", views.ShopHistoryView.as_view(), name="shop_history"),
    path(
        "shops/<int:pk>/counter-link/",
        views.shop_new_counter_link,
        name="shop_new_counter_link",
    ),
    path("", views.OfferListView.as_view(), name="offer_list"),
    path("add/", views.OfferEditView.as_view(), name="offer_add"),
    path("export/", views.OfferExportView.as_view(), name="offer_export"),
    path("<int:pk>/", views.OfferDetailView.as_view(), name="offer_detail"),
    path("<int:pk>/edit/", views.OfferEditView.as_view(), name="offer_edit"),
    path("<int:pk>/delete/", views.OfferDeleteView.as_view(), name="offer_delete"),
    path("<int:pk>/history/", views.OfferHistoryView.as_view(), name="offer_history"),
    path("campaigns/", views_campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/add/", views_campaigns.CampaignEditView.as_view(), name="campaign_add"),
    path("campaigns/export/", views_campaigns.CampaignExportView.as_view(), name="campaign_export"),
    path(
        "campaigns/<int:pk>/",
        views_campaigns.CampaignDetailView.as_view(),
        name="campaign_detail",
    ),
    path(
        "campaigns/<int:pk>/edit/",
        views_campaigns.CampaignEditView.as_view(),
        name="campaign_edit",
    ),
    path(
        "campaigns/<int:pk>/history/",
        views_campaigns.CampaignHistoryView.as_view(),
        name="campaign_history",
    ),
    path("campaigns/<int:pk>/issue/", views_campaigns.campaign_issue, name="campaign_issue"),
    path("campaigns/<int:pk>/print/", views_campaigns.campaign_print, name="campaign_print"),
    path(
        "campaigns/<int:pk>/batches/<int:batch>.pdf",
        views_campaigns.campaign_batch_pdf,
        name="campaign_batch_pdf",
    ),
    path("campaigns/<int:pk>/poster.pdf", views_campaigns.campaign_poster, name="campaign_poster"),
    path(
        "campaigns/<int:pk>/figures/export/",
        views_campaigns.campaign_figures_export,
        name="campaign_figures_export",
    ),
    path("coupons/", views_campaigns.CouponListView.as_view(), name="coupon_list"),
    path("coupons/export/", views_campaigns.CouponExportView.as_view(), name="coupon_export"),
    path("redemptions/", views_campaigns.RedemptionListView.as_view(), name="redemption_list"),
    path(
        "redemptions/export/",
        views_campaigns.RedemptionExportView.as_view(),
        name="redemption_export",
    ),
]
