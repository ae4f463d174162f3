import pytest

from monitor.content.privacy import (
    find_privacy_leaks,
    id_check_digit,
    is_valid_id_number,
    luhn_valid,
    mask_bank_card,
    mask_id,
    mask_mobile,
    mask_text,
)

# The two worked examples printed in GB 11643-1999.
STANDARD_ID_X = "11010519491231002X"
STANDARD_ID_4 = "440524188001010014"
VALID_ID = "360722197702280095"
VALID_ID_X = "36072219850612345X"
VALID_CARD = "6222021234567890128"


def _numbers_in(text: str) -> list[str]:
    return [f.kind for f in find_privacy_leaks(text)]


def test_check_digit_matches_the_standards_worked_examples():
    assert id_check_digit(STANDARD_ID_X[:17]) == "X"
    assert id_check_digit(STANDARD_ID_4[:17]) == "4"


def test_check_digit_rejects_anything_but_17_digits():
    with pytest.raises(ValueError):
        id_check_digit("1234")
    with pytest.raises(ValueError):
        id_check_digit("1101051949123100X")


def test_id_with_x_check_digit_is_found_in_upper_and_lower_case():
    for number in (VALID_ID_X, VALID_ID_X.lower()):
        findings = find_privacy_leaks(f"申请人身份证号{number}，住址略。")
        assert [(f.kind, f.masked) for f in findings] == [("id_card", "36**************5X")]


def test_id_with_wrong_check_digit_is_not_a_leak():
    wrong = VALID_ID[:17] + "4"
    assert not is_valid_id_number(wrong)
    assert find_privacy_leaks(f"编号{wrong}。") == []


def test_id_with_impossible_birth_date_is_not_a_leak():
    first17 = "36072219770230009"  # 30 February
    number = first17 + id_check_digit(first17)
    assert not is_valid_id_number(number)
    assert find_privacy_leaks(number) == []


def test_id_inside_a_longer_digit_run_is_not_a_leak():
    assert find_privacy_leaks(f"流水号9{VALID_ID}") == []


def test_full_width_digits_are_read_like_ascii_digits():
    full_width = VALID_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _numbers_in(f"身份证：{full_width}") == ["id_card"]


@pytest.mark.parametrize("text", [
    "联系电话：13812345678。",
    "联系人张先生13812345678",
    "电话138-1234-5678",
    "电话 138 1234 5678，",
    "手机+8613812345678",
    "手机 +86 138 1234 5678",
])
def test_mobile_numbers_are_found_in_their_usual_spellings(text):
    findings = find_privacy_leaks(text)
    assert [(f.kind, f.masked) for f in findings] == [("mobile", "138****5678")]


@pytest.mark.parametrize("text", [
    "订单号113812345678",      # 12-digit run containing a mobile-like substring
    "编号138123456789",       # mobile-like prefix of a longer run
    "电话12812345678",        # 12x is not a mainland mobile prefix
    "座机0797-7177965",
    "文号2024138123456780号",
])
def test_digits_that_only_look_like_a_mobile_are_not_reported(text):
    assert find_privacy_leaks(text) == []


def test_mixed_separators_do_not_make_a_mobile_number():
    assert find_privacy_leaks("138-1234 5678") == []


def test_labelled_luhn_valid_card_number_is_a_leak():
    findings = find_privacy_leaks(f"补助发放至银行卡号：{VALID_CARD}。")
    assert [(f.kind, f.masked) for f in findings] == [("bank_card", "6222***********0128")]


def test_grouped_card_number_keeps_its_spaces_in_the_context():
    findings = find_privacy_leaks("收款账号 6222 0212 3456 7890 128")
    assert [f.kind for f in findings] == ["bank_card"]
    assert "6222 **** **** ***0 128" in findings[0].context


def test_card_number_failing_luhn_is_not_a_leak():
    assert not luhn_valid("6222021234567890123")
    assert find_privacy_leaks("银行卡号6222021234567890123") == []


def test_unlabelled_card_like_number_is_not_a_leak():
    assert find_privacy_leaks(f"项目编码{VALID_CARD}") == []


def test_label_in_an_earlier_sentence_does_not_make_a_card():
    assert find_privacy_leaks(f"请核对账号。编码{VALID_CARD}") == []


def test_masks_follow_the_offices_format():
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_mobile("138-1234-1234") == "138****1234"
    assert mask_id("360722197702280012") == "36**************12"
    assert mask_id("36072219850612345x") == "36**************5X"
    assert mask_bank_card("6222021234567890128") == "6222***********0128"


def test_no_output_field_carries_a_number_in_full():
    text = (f"张三，身份证号{VALID_ID}，电话13812345678，李四身份证号{STANDARD_ID_X}，"
            f"银行账号{VALID_CARD}。")
    findings = find_privacy_leaks(text)
    assert sorted(f.kind for f in findings) == ["bank_card", "id_card", "id_card", "mobile"]
    for finding in findings:
        for number in (VALID_ID, "13812345678", STANDARD_ID_X, VALID_CARD):
            assert number not in finding.masked
            assert number[4:-4] not in finding.context


def test_offsets_point_at_the_number_in_the_original_text():
    text = "电话：13812345678"
    [finding] = find_privacy_leaks(text)
    assert text[finding.offset : finding.offset + 11] == "13812345678"


def test_full_width_x_check_character_is_read_like_x():
    assert _numbers_in(f"身份证：{VALID_ID_X[:17]}Ｘ") == ["id_card"]


def test_mask_text_masks_every_number_in_place_and_keeps_the_rest() -> None:
    mobile = "13812345678"
    text = f"联系电话：{mobile}，身份证号{VALID_ID}。编号2024001"
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert mobile not in masked and VALID_ID not in masked
    assert mask_mobile(mobile) in masked and mask_id(VALID_ID) in masked
    assert masked.endswith("。编号2024001")


def test_mask_text_keeps_full_width_digits_that_are_not_numbers() -> None:
    assert mask_text("第２０２４号") == "第２０２４号"
