from django.urls import path

from search_index.storefront import views

urlpatterns = [path("", views.storefront, name="storefront")]
