import org.bytedeco.javacpp.Loader;

/**
 * Run by build/images.sh at image build time with -Dorg.bytedeco.javacpp.cachedir=<image>/opt/javacpp: JavaCPP
 * unpacks the natives of every class named on the command line into that cache, exactly as the service would on its
 * first use. In the image the cache is then read-only and owned by root: the service finds each file there with the
 * size and time of its jar entry and loads it without writing anything, so it runs with a read-only root file system
 * and no 85 MB unpack on every start.
 */
public class JavacppPreload {
    public static void main(String[] args) throws ClassNotFoundException {
        for (String name : args) {
            String path = Loader.load(Class.forName(name));
            System.out.println("javacpp-preload: " + name + " -> " + path);
        }
    }
}
