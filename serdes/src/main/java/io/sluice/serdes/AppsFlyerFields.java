package io.sluice.serdes;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields AppsFlyer's push API and raw-data exports send, with their types. Known fields are
 * typed (AppsFlyer sends many numbers and flags as text); anything else lands in the {@code extra}
 * column, because AppsFlyer adds fields without notice and that must neither fail the pipeline
 * nor silently create columns.
 */
final class AppsFlyerFields {
    enum Type {
        TEXT,
        DECIMAL,
        BOOLEAN
    }

    private static final Set<String> TEXT = Set.of(
            "app_id",
            "app_name",
            "bundle_id",
            "appsflyer_id",
            "customer_user_id",
            "event_name",
            "event_value",
            "event_time",
            "event_revenue_currency",
            "event_source",
            "event_type",
            "install_time",
            "attributed_touch_time",
            "attributed_touch_type",
            "device_download_time",
            "af_channel",
            "media_source",
            "campaign",
            "af_c_id",
            "af_adset",
            "af_adset_id",
            "af_ad",
            "af_ad_id",
            "af_ad_type",
            "af_siteid",
            "af_sub_siteid",
            "af_sub1",
            "af_sub2",
            "af_sub3",
            "af_sub4",
            "af_sub5",
            "af_keywords",
            "af_prt",
            "af_cost_model",
            "af_cost_currency",
            "af_reengagement_window",
            "af_attribution_lookback",
            "http_referrer",
            "original_url",
            "match_type",
            "keyword_match_type",
            "platform",
            "app_version",
            "sdk_version",
            "os_version",
            "api_version",
            "device_model",
            "device_type",
            "device_category",
            "carrier",
            "operator",
            "language",
            "country_code",
            "region",
            "state",
            "city",
            "postal_code",
            "dma",
            "ip",
            "advertising_id",
            "idfa",
            "idfv",
            "android_id",
            "imei",
            "oaid",
            "amazon_aid",
            "user_agent",
            "install_app_store",
            "network_account_id",
            "retargeting_conversion_type",
            "selected_currency",
            "app_type",
            "custom_data",
            "contributor_1_media_source",
            "contributor_1_campaign",
            "contributor_1_touch_type",
            "contributor_1_touch_time");
    private static final Set<String> DECIMAL =
            Set.of("event_revenue", "event_revenue_usd", "af_cost_value", "cost_value", "revenue_in_selected_currency");
    private static final Set<String> BOOLEAN = Set.of(
            "is_retargeting",
            "is_primary_attribution",
            "is_lat",
            "wifi",
            "is_receipt_validated",
            "gp_broadcast_referrer",
            "deeplink_url_used");
    private static final Map<String, Type> TYPES = new HashMap<>();

    static {
        TEXT.forEach(f -> TYPES.put(f, Type.TEXT));
        DECIMAL.forEach(f -> TYPES.put(f, Type.DECIMAL));
        BOOLEAN.forEach(f -> TYPES.put(f, Type.BOOLEAN));
    }

    private AppsFlyerFields() {}

    /** The type of a known field, or null for one AppsFlyer did not document when this was written. */
    static Type typeOf(String field) {
        return TYPES.get(field);
    }
}
