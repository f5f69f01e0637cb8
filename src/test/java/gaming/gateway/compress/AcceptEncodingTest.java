package gaming.gateway.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code Accept-Encoding} as RFC 9110 §12.5.3 and §12.4.2 read it: the exact weights each value
 * gives gzip, identity and {@code *} ("-": no valid member names it), and whether gzip is chosen.
 * A member with an invalid weight or syntax is ignored; no value throws.
 */
class AcceptEncodingTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // Accept-Encoding     | gzip  | identity | *   | gzip chosen
            "gzip|1|-|-|true",
            "GZIP|1|-|-|true",
            "x-gzip|1|-|-|true",
            "X-GZip;Q=0.5|0.5|-|-|true",
            "deflate, gzip;q=0.5|0.5|-|-|true",
            "gzip;q=0|0|-|-|false",
            "gzip; q=0.000|0|-|-|false",
            "gzip;q=0.001|0.001|-|-|true",
            "gzip;q=1.000|1|-|-|true",
            "gzip;q=1.|1|-|-|true",
            "gzip ; q=0.5 |0.5|-|-|true",
            "'\tgzip\t;\tq=0.5\t'|0.5|-|-|true",
            // an invalid weight or member is ignored: gzip is not chosen from it
            "gzip;q=1.0001|-|-|-|false",
            "gzip;q=1.5|-|-|-|false",
            "gzip;q=2|-|-|-|false",
            "gzip;q=0.0001|-|-|-|false",
            "gzip;q=abc|-|-|-|false",
            "gzip;q=|-|-|-|false",
            "gzip;q=-0|-|-|-|false",
            "gzip;q=+1|-|-|-|false",
            "gzip;q=.5|-|-|-|false",
            "gzip;q=1e0|-|-|-|false",
            "gzip;q=0x1p0|-|-|-|false",
            "gzip;q=Infinity|-|-|-|false",
            "gzip;q=NaN|-|-|-|false",
            "gzip;q= 1|-|-|-|false",
            "gzip;q =1|-|-|-|false",
            "gzip;q=0.5;q=1|-|-|-|false",
            "gzip;level=9|-|-|-|false",
            "gzip;|-|-|-|false",
            "\"gzip\"|-|-|-|false",
            "gz ip|-|-|-|false",
            "gzíp|-|-|-|false",
            "gzip\u00a0|-|-|-|false",
            // valid members beside an invalid one still count
            "gzip;q=1.5, gzip;q=0.5|0.5|-|-|true",
            "gzip;q=abc, *|-|-|1|true",
            // a coding named twice keeps its highest weight
            "gzip;q=0, gzip|1|-|-|true",
            // * stands for every coding not named, identity included
            "*|-|-|1|true",
            "*;q=0.5|-|-|0.5|true",
            "*;q=0|-|-|0|false",
            "gzip;q=0, *|0|-|1|false",
            "br;q=1.0, gzip;q=0.8, *;q=0.1|0.8|-|0.1|true",
            // the higher weight wins; at equal weight gzip
            "gzip;q=0.5, identity|0.5|1|-|false",
            "gzip;q=0.5, *|0.5|-|1|false",
            "gzip, identity;q=0.5|1|0.5|-|true",
            "gzip, identity|1|1|-|true",
            "identity|-|1|-|false",
            "identity;q=0|-|0|-|false",
            "identity;q=0, *;q=0|-|0|0|false",
            "br, deflate|-|-|-|false",
            "''|-|-|-|false",
            "' , ,'|-|-|-|false",
            "';;;,,,'|-|-|-|false"})
    void weightsAndChoice(String acceptEncoding, String gzip, String identity, String any, boolean gzipChosen) {
        AcceptEncoding parsed = AcceptEncoding.of(List.of(acceptEncoding));

        assertThat(parsed, is(new AcceptEncoding(weight(gzip), weight(identity), weight(any))));
        assertThat(parsed.gzipPreferred(), is(gzipChosen));
    }

    @Test
    void noHeaderNamesNothingAndChoosesNoGzip() {
        AcceptEncoding parsed = AcceptEncoding.of(List.of());

        assertThat(parsed, is(new AcceptEncoding(AcceptEncoding.UNNAMED, AcceptEncoding.UNNAMED, AcceptEncoding.UNNAMED)));
        assertThat(parsed.gzipPreferred(), is(false));
    }

    @Test
    void everyFieldLineCounts() {
        assertThat(AcceptEncoding.of(List.of("br", "gzip;q=0.5")), is(new AcceptEncoding(0.5, AcceptEncoding.UNNAMED,
                                                                                          AcceptEncoding.UNNAMED)));
        assertThat(AcceptEncoding.of(List.of("gzip;q=0.5", "identity")).gzipPreferred(), is(false));
    }

    private static double weight(String text) {
        return text.equals("-") ? AcceptEncoding.UNNAMED : Double.parseDouble(text);
    }
}
