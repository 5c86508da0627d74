/**
 * The ~120 locales whose CLDR currency formats procure knows: the currency vocabulary is generated from
 * them (scripts/generate-currency-vocabulary.ts) and the parser is checked against their formats.
 */
export const CLDR_LOCALES: readonly string[] =
  `af am ar ar-EG ar-SA ar-AE ar-MA ar-DZ ar-TN ar-KW ar-QA ar-JO ar-LB ar-IQ ar-OM ar-BH ar-LY az be bg
bn bs ca cs cy da de de-CH de-AT el en en-AU en-CA en-IN en-NZ en-ZA en-SG en-NG en-KE en-PK en-PH en-MY en-GB
en-IE en-HK es es-MX es-AR es-CL es-CO es-PE es-UY es-VE es-BO es-PY es-CR es-DO es-GT es-US et eu fa fi fil fr
fr-CA fr-CH fr-MA fr-SN ga gl gu he hi hr hu hy id is it it-CH ja ka kk km kn ko ky lo lt lv mk ml mn mr ms my
nb ne nl pa pl ps pt pt-PT ro ru si sk sl so sq sr sr-Latn sv sw ta te th tr uk ur uz vi zh zh-Hant zh-HK zu`
    .trim()
    .split(/\s+/);
