"""Common English given names by gender: weak evidence for which person a "he" or "she" can be.

The lists are the most frequent US given names of the last century (names clearly used for both
sexes, such as Kelly, Leslie or Jordan, are left out). They are general vocabulary, like the
title words of `quote_coref`; a person's gender read from the text (a title, a role word, a
pronoun already resolved to them) always wins over the name.
"""

from __future__ import annotations

MALE_NAMES = frozenset(
    """
aaron adam adrian alan albert alberto alex alexander alfred alfredo allan allen alvin andre andrew
andy angel anthony antonio armando arnold arthur barry ben benjamin bernard bill billy bob bobby brad
bradley brandon brent brett brian bruce bryan byron calvin carl carlos cecil charles charlie chester
chris christian christopher clarence claude clayton clifford clifton clyde cody corey cory craig
curtis dale dan daniel danny darrell darren darryl daryl dave david dean dennis derek derrick don
donald douglas duane dustin dwayne dwight earl eddie edgar eduardo edward edwin elmer enrique eric
erik ernest eugene everett felix fernando francis francisco frank franklin fred freddie frederick
gabriel gary gene george gerald gilbert glen glenn gordon greg gregory guy harold harry harvey hector
henry herbert herman howard hugh ian isaac ivan jack jacob jaime james jared jason javier jay jeff
jeffery jeffrey jeremy jerome jerry jesse jesus jim jimmie jimmy joe joel john johnnie johnny jon
jonathan jorge jose joseph joshua juan julian julio justin karl keith ken kenneth kent kevin kirk kurt
kyle lance larry lawrence lee leo leon leonard leroy lester lewis lloyd lonnie louis luis manuel marc
marcus mario mark marshall martin marvin mathew matthew maurice max melvin michael micheal miguel
mike milton mitchell morris nathan nathaniel neil nelson nicholas norman oscar patrick paul pedro
perry peter philip phillip rafael ralph ramon randall randy raul ray raymond reginald ricardo richard
rick ricky robert roberto rodney roger roland ron ronald ronnie ross roy ruben russell ryan salvador
sam samuel scott sean sergio seth shane shawn sidney stanley stephen steve steven ted terrance
terrence theodore thomas tim timothy todd tom tommy tony travis troy tyler tyrone vernon victor
vincent virgil wade wallace walter warren wayne wesley willard william zachary
""".split()
)

FEMALE_NAMES = frozenset(
    """
agnes alice alicia allison alma amanda amber amy ana andrea angela anita ann anna anne annette annie
april arlene ashley audrey barbara beatrice becky bernice bertha bessie beth betty beverly bonnie
brenda brittany carla carmen carol carole caroline carolyn carrie cassandra catherine cathy charlene
charlotte cheryl christina christine christy cindy claire clara claudia colleen connie constance
courtney crystal cynthia daisy danielle darlene dawn deanna debbie deborah debra delores denise
diana diane dianne dolores donna dora doris dorothy edith edna eileen elaine eleanor elizabeth ella
ellen elsie emily emma erica erika esther ethel eva evelyn felicia florence frances geraldine
gertrude gina gladys glenda gloria grace gwendolyn hazel heather heidi helen hilda holly ida irene
irma jacqueline jane janet janice jean jeanette jeanne jennifer jenny jessica jill joan joann joanne
josephine joy joyce juanita judith judy julia julie june karen katherine kathleen kathryn kathy katie
katrina kimberly kristen kristin kristina laura lauren laurie leah lena lillian lillie linda lisa
lois loretta lori lorraine louise lucille lucy lydia mabel mae margaret margie maria marian marie
marilyn marjorie marlene marsha martha mary maureen maxine megan melanie melinda melissa michelle
mildred minnie miriam monica myrtle nancy naomi natalie nellie nicole nina nora norma olga pamela
patricia patsy paula pauline pearl peggy penny phyllis priscilla rachel ramona rebecca regina renee
rhonda rita roberta rosa rose rosemary ruby ruth sally samantha sandra sara sarah sharon sheila
shirley sonia stacey stacy stella stephanie susan suzanne sylvia tamara tammy tanya tara teresa
theresa thelma tiffany tina tonya valerie vanessa velma vera veronica vicki vickie victoria viola
violet virginia vivian wanda wendy wilma yolanda yvonne
""".split()
)


def given_name_gender(name: str) -> str | None:
    """ "m" or "f" when the first word of a full name ("Jane Doe") is a common given name of that
    gender; None for a single word, an unknown or a shared name."""
    words = name.replace(".", " ").split()
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return None
