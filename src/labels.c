/*
 * labels.c - report words in English, Hebrew and Arabic.
 */
#include "labels.h"

#include <string.h>

static const struct labels en = {
	"Theme report", "Quotes", "Counts", "Share of cases raising each theme",
	"By", "cases", "all", "of", "passages", "coder", "question",
	"Documents without a question", "theme", "documents", "segments",
	"codings", "with sub-codes", "own codings only", "coded by",
	"codes with no cases left out",
	"Questions without coded answers, left out:",
};

static const struct labels he = {
	"דוח נושאים", "ציטוטים", "ספירת נושאים",
	"שיעור המשיבים שהעלו כל נושא", "לפי", "משיבים", "סה״כ", "מתוך",
	"קטעים", "מקודד", "שאלה", "מסמכים ללא שאלה", "נושא", "מסמכים",
	"מקטעים", "קידודים", "כולל תת-קודים", "קידודי הקוד עצמו בלבד",
	"שקודדו בידי", "קודים ללא משיבים הושמטו",
	"שאלות ללא תשובות מקודדות, הושמטו:",
};

static const struct labels ar = {
	"تقرير المواضيع", "اقتباسات", "تكرار المواضيع",
	"نسبة المشاركين الذين ذكروا كل موضوع", "حسب", "المشاركون", "الكل",
	"من", "مقاطع", "المرمّز", "السؤال", "وثائق بلا سؤال", "الموضوع",
	"الوثائق", "المقاطع", "الترميزات", "مع الرموز الفرعية",
	"ترميزات الرمز نفسه فقط", "رمّزها", "رموز بلا مشاركين حُذفت",
	"أسئلة بلا إجابات مرمّزة، حُذفت:",
};

const struct labels *labels_get(const char *lang)
{
	if (strncmp(lang, "he", 2) == 0 || strncmp(lang, "iw", 2) == 0) {
		return &he;
	}
	if (strncmp(lang, "ar", 2) == 0) {
		return &ar;
	}
	return &en;
}
