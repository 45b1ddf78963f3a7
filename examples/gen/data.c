/* The fake-data pools segrecv-gen draws from. */
#include "data.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DEFINE_COUNT(name) const size_t name##_COUNT = COUNT(name)

const person_name FIRST_NAMES[] = {
    {"Ada", "ada"},       {"Grace", "grace"},     {"Linus", "linus"},   {"José", "jose"},
    {"Zoë", "zoe"},       {"Søren", "soren"},     {"Amélie", "amelie"}, {"Łukasz", "lukasz"},
    {"Chidi", "chidi"},   {"Mei", "mei"},         {"Priya", "priya"},   {"Tomás", "tomas"},
    {"Hannah", "hannah"}, {"Oliver", "oliver"},   {"Yuki", "yuki"},     {"Fatima", "fatima"},
    {"Noah", "noah"},     {"Ingrid", "ingrid"},   {"Mateo", "mateo"},   {"Aisha", "aisha"},
};
DEFINE_COUNT(FIRST_NAMES);

const person_name LAST_NAMES[] = {
    {"Lovelace", "lovelace"}, {"Hopper", "hopper"}, {"O'Brien", "obrien"},
    {"Müller", "mueller"},    {"García", "garcia"}, {"Nguyen", "nguyen"},
    {"Kowalski", "kowalski"}, {"Tanaka", "tanaka"}, {"Okafor", "okafor"},
    {"Johansson", "johansson"}, {"Dubois", "dubois"}, {"Patel", "patel"},
    {"Silva", "silva"},       {"Smith", "smith"},   {"Kim", "kim"},
};
DEFINE_COUNT(LAST_NAMES);

const char *const EMAIL_DOMAINS[] = {
    "example.com", "example.org", "example.net", "mail.example.com", "inbox.example",
};
DEFINE_COUNT(EMAIL_DOMAINS);

const city CITIES[] = {
    {"San Francisco", "CA", "94107", "US", "Market St", "America/Los_Angeles", "en-US"},
    {"New York", "NY", "10013", "US", "Broadway", "America/New_York", "en-US"},
    {"Austin", "TX", "78701", "US", "Congress Ave", "America/Chicago", "en-US"},
    {"Toronto", "ON", "M5V 2T6", "CA", "King St W", "America/Toronto", "en-CA"},
    {"London", "England", "EC1A 1BB", "GB", "Aldersgate St", "Europe/London", "en-GB"},
    {"Berlin", "BE", "10115", "DE", "Invalidenstraße", "Europe/Berlin", "de-DE"},
    {"São Paulo", "SP", "01310-100", "BR", "Avenida Paulista", "America/Sao_Paulo", "pt-BR"},
    {"Zürich", "ZH", "8001", "CH", "Bahnhofstrasse", "Europe/Zurich", "de-CH"},
    {"Paris", "Île-de-France", "75002", "FR", "Rue Montorgueil", "Europe/Paris", "fr-FR"},
    {"Tokyo", "Tokyo", "100-0005", "JP", "Marunouchi", "Asia/Tokyo", "ja-JP"},
    {"Sydney", "NSW", "2000", "AU", "George St", "Australia/Sydney", "en-AU"},
    {"Lagos", "LA", "101241", "NG", "Adeola Odeku St", "Africa/Lagos", "en-NG"},
};
DEFINE_COUNT(CITIES);

const company COMPANIES[] = {
    {"Initech", "Software", "initech.example"},
    {"Globex Corporation", "Manufacturing", "globex.example"},
    {"Acme, Inc.", "Retail", "acme.example"},
    {"Smith & Sons", "Construction", "smithandsons.example"},
    {"Hooli", "Technology", "hooli.example"},
    {"Umbrella Corp", "Pharmaceuticals", "umbrella.example"},
    {"Soylent", "Food & Beverage", "soylent.example"},
    {"Vandelay Industries", "Import/Export", "vandelay.example"},
    {"Stark Industries", "Aerospace", "stark.example"},
    {"Müller Logistik GmbH", "Logistics", "mueller-logistik.example"},
};
DEFINE_COUNT(COMPANIES);

const char *const PLANS[] = {"free", "starter", "pro", "business", "enterprise"};
DEFINE_COUNT(PLANS);

const char *const JOB_TITLES[] = {
    "CEO", "Software Engineer", "Product Manager", "Head of Growth", "Data Analyst",
    "Marketing Director", "Customer Success Lead", "CTO",
};
DEFINE_COUNT(JOB_TITLES);

const product PRODUCTS[] = {
    {"507f1f77bcf86cd799439011", "G-32", "Monopoly: 3rd Edition", "Hasbro", "Games",
     "200 pieces", "monopoly-3rd-edition", 1899},
    {"505bd76785ebb509fc183733", "F-32", "Uno Card Game", "Mattel", "Games", "Classic",
     "uno-card-game", 399},
    {"5e8f1c2a9d3b4a0012ab34cd", "T-1001", "Organic Cotton T-Shirt", "Everlane", "Apparel",
     "Navy / M", "organic-cotton-t-shirt", 2500},
    {"5e8f1c2a9d3b4a0012ab34ce", "S-2207", "Trail Running Shoes", "Salomon", "Footwear",
     "EU 42", "trail-running-shoes", 13000},
    {"5e8f1c2a9d3b4a0012ab34cf", "K-0042", "Pour-Over Coffee Kettle", "Fellow", "Kitchen",
     "Matte Black", "pour-over-coffee-kettle", 16500},
    {"5e8f1c2a9d3b4a0012ab34d0", "B-7781", "Noise-Cancelling Headphones", "Sony", "Electronics",
     "WH-1000XM5", "noise-cancelling-headphones", 39999},
    {"5e8f1c2a9d3b4a0012ab34d1", "P-5510", "Ceramic Plant Pot \"Terra\"", "Umbra", "Home",
     "Large", "ceramic-plant-pot-terra", 3450},
    {"5e8f1c2a9d3b4a0012ab34d2", "N-0908", "Dotted Notebook A5", "Leuchtturm1917", "Stationery",
     "Emerald", "dotted-notebook-a5", 2195},
};
DEFINE_COUNT(PRODUCTS);

const char *const COUPONS[] = {"SUMMER20", "WELCOME10", "FREESHIP", "VIP-15"};
DEFINE_COUNT(COUPONS);

const char *const SEARCH_QUERIES[] = {
    "running shoes", "board games", "coffee kettle", "headphones", "gift ideas",
    "t-shirt navy", "notebook a5", "crème brûlée torch",
};
DEFINE_COUNT(SEARCH_QUERIES);

const web_page WEB_PAGES[] = {
    {"Home", NULL, "/", "Example Store – Home"},
    {"Pricing", "Marketing", "/pricing", "Pricing | Example Store"},
    {"Signup", "Onboarding", "/signup", "Create your account"},
    {"Getting Started", "Docs", "/docs/getting-started", "Getting started | Docs"},
    {"Blog Post", "Blog", "/blog/2024/spring-launch", "We launched our spring collection!"},
    {"Product", "Catalog", "/products/trail-running-shoes", "Trail Running Shoes"},
    {"Cart", "Checkout", "/cart", "Your cart"},
};
DEFINE_COUNT(WEB_PAGES);

const char *const REFERRERS[] = {
    "https://www.google.com/", "https://news.ycombinator.com/", "https://t.co/xyz123",
    "https://www.example.com/blog", "https://duckduckgo.com/",
};
DEFINE_COUNT(REFERRERS);

const char *const BROWSER_AGENTS[] = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
};
DEFINE_COUNT(BROWSER_AGENTS);

const mobile_device MOBILE_DEVICES[] = {
    {"Apple", "iPhone15,2", "ios", "iOS", "17.4.1",
     "Example%20Store/4.2.0 CFNetwork/1494.0.7 Darwin/23.4.0", 393, 852, "3.0"},
    {"Google", "Pixel 8", "android", "Android", "14",
     "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A.240405.002)", 412, 915, "2.625"},
    {"samsung", "SM-S911B", "android", "Android", "13",
     "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)", 360, 780, "3.0"},
};
DEFINE_COUNT(MOBILE_DEVICES);

const web_page SCREENS[] = {
    {"Home", NULL, NULL, NULL},          {"Product Detail", "Catalog", NULL, NULL},
    {"Cart", "Checkout", NULL, NULL},    {"Checkout", "Checkout", NULL, NULL},
    {"Settings", "Account", NULL, NULL}, {"Onboarding Step 2", "Onboarding", NULL, NULL},
};
DEFINE_COUNT(SCREENS);

const library SERVER_LIBRARIES[] = {
    {"analytics-node", "2.1.0"},  {"analytics-python", "2.3.2"}, {"analytics-go", "3.3.0"},
    {"analytics-ruby", "2.4.3"},  {"analytics-java", "3.5.1"},
};
DEFINE_COUNT(SERVER_LIBRARIES);

const char *const EXPERIMENTS[] = {
    "Checkout Button Color", "Pricing Page Layout", "Onboarding Checklist", "Free Shipping Banner",
};
DEFINE_COUNT(EXPERIMENTS);
